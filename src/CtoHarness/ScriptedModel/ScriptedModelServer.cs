using System.Net;
using System.Text.Json.Nodes;
using CtoHarness.Fixtures;

namespace CtoHarness.ScriptedModel;

/// <summary>
/// An OpenAI-compatible chat-completions server on loopback (a free port, one per run) that plays the scripted
/// model: <c>POST …/chat/completions</c> (streamed or not) and <c>GET …/models</c>. It lives as long as the run's
/// provider step and records one line per request (agent, turn, status, tokens) to its log, and each request body as it came.
/// </summary>
public sealed class ScriptedModelServer : IDisposable
{
    public const string ModelId = "ctoharness-scripted-model";
    private const int FloodBytes = 4 * 1024 * 1024;
    private const int MaxKeptRequestChars = 1024 * 1024;

    private readonly HttpListener _listener = new();
    private readonly ScriptedAgent _agent;
    private readonly string _scenario;
    private readonly string _logPath;
    private readonly string _requestsDirectory;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _acceptor;
    private readonly object _logGate = new();
    private readonly string _servedModel;
    private int _sequence;

    private ScriptedModelServer(SolutionPlay play, string scenario, string logPath, string servedModel)
    {
        _servedModel = servedModel;
        _agent = new ScriptedAgent(play, scenario);
        _scenario = scenario;
        _logPath = logPath;
        _requestsDirectory = Path.Combine(Path.GetDirectoryName(logPath)!, "requests");
        Directory.CreateDirectory(_requestsDirectory);
        var port = Relay.LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "ctoharness-scripted-model" };
        _acceptor.Start();
    }

    public string BaseUrl { get; }

    /// <summary>Starts the scripted model for <paramref name="fixture"/>; <paramref name="directory"/> gets its scratch copy and log.</summary>
    /// <param name="servedModel">The model id <c>GET …/models</c> lists (a stand-in for a local endpoint lists the pair's model).</param>
    public static ScriptedModelServer Start(Fixture fixture, string scenario, string directory, string servedModel = ModelId)
    {
        var play = SolutionPlay.From(fixture, Path.Combine(directory, "solution"));
        return new ScriptedModelServer(play, scenario, Path.Combine(directory, "requests.jsonl"), servedModel);
    }

    public void Dispose()
    {
        _stopping.Set();
        try
        {
            _listener.Abort();
        }
        catch (ObjectDisposedException)
        {
            // already gone
        }
        _acceptor.Join(TimeSpan.FromSeconds(5));
    }

    private void Accept()
    {
        while (!_stopping.IsSet)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            // A thread per request, never the thread pool: a silent answer blocks its thread until the run ends.
            new Thread(() => Serve(context)) { IsBackground = true, Name = "ctoharness-scripted-request" }.Start();
        }
    }

    private void Serve(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath ?? "";
            if (request.HttpMethod == "GET" && path.EndsWith("/models", StringComparison.Ordinal))
            {
                ChatCompletionWriter.WriteJson(response, 200, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject { ["id"] = _servedModel, ["object"] = "model", ["owned_by"] = "ctoharness" }),
                });
            }
            else if (request.HttpMethod == "POST" && path.EndsWith("/chat/completions", StringComparison.Ordinal))
            {
                Complete(request, response);
            }
            else
            {
                ChatCompletionWriter.WriteJson(response, 404, Error($"no route for {request.HttpMethod} {path}", "not_found"));
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away, the stream was cut on purpose, or the run is ending.
        }
    }

    private void Complete(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var reader = new StreamReader(request.InputStream);
        var text = reader.ReadToEnd();
        var body = JsonNode.Parse(text)?.AsObject() ?? new JsonObject();
        var messages = body["messages"] as JsonArray ?? [];
        var role = ScriptedAgent.RoleOf(messages);
        var turn = ScriptedAgent.TurnOf(messages);
        var sequence = Interlocked.Increment(ref _sequence);
        var writer = new ChatCompletionWriter(response, (string?)body["model"] ?? ModelId, text.Length);
        File.WriteAllText(Path.Combine(_requestsDirectory, $"{sequence:D3}-{role}-{turn}.json"), text.Length <= MaxKeptRequestChars ? text : text[..MaxKeptRequestChars]);

        if (_scenario == ScriptedModelScenario.Vanish && sequence > ScriptedModelScenario.CallsBeforeVanishing)
        {
            Log(sequence, role, turn, "vanished", writer, request);
            _stopping.Set();
            _listener.Abort(); // this connection is reset and no other is accepted: the endpoint died
            return;
        }
        if (_scenario == ScriptedModelScenario.Silent)
        {
            Log(sequence, role, turn, "silent", writer, request);
            _stopping.Wait(); // never answers; the run's end closes the connection
            return;
        }
        if (ScriptedModelScenario.HttpStatus(_scenario) is { } status)
        {
            Log(sequence, role, turn, status.ToString(), writer, request);
            ChatCompletionWriter.WriteJson(response, status, status switch
            {
                401 => Error("Incorrect API key provided.", "invalid_api_key"),
                404 => Error($"The model '{(string?)body["model"]}' does not exist or you do not have access to it.", "model_not_found"),
                429 => Error("Rate limit reached for requests.", "rate_limit_exceeded"),
                _ => Error("The server had an error while processing your request.", "server_error"),
            });
            return;
        }

        var reply = _scenario == ScriptedModelScenario.Flood
            ? ScriptedReply.Say(new string('x', FloodBytes))
            : _agent.Reply(role, turn);
        Log(sequence, role, turn, "200", writer, request);
        if (body["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            writer.Stream(reply, _scenario == ScriptedModelScenario.DropStream ? 2 : null, _scenario == ScriptedModelScenario.Flood ? 16 * 1024 : 64);
        }
        else
        {
            writer.Complete(reply);
        }
    }

    private static JsonObject Error(string message, string code) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } };

    /// <summary>One line per request; the Authorization header only as its SHA-256, so a test can check which key arrived.</summary>
    private void Log(int sequence, string role, int turn, string status, ChatCompletionWriter writer, HttpListenerRequest request)
    {
        var line = new JsonObject
        {
            ["sequence"] = sequence,
            ["agent"] = role,
            ["turn"] = turn,
            ["status"] = status,
            ["scenario"] = _scenario,
            ["promptTokens"] = writer.PromptTokens,
            ["authorizationSha256"] = request.Headers["Authorization"] is { } authorization ? Evidence.Sha256.OfBytes(System.Text.Encoding.UTF8.GetBytes(authorization)) : null,
        }.ToJsonString();
        lock (_logGate)
        {
            File.AppendAllText(_logPath, line + "\n");
        }
    }
}
