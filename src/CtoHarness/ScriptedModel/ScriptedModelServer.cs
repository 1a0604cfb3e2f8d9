using System.Net;
using CtoHarness.Fixtures;
using CtoHarness.Loopback;
using CtoHarness.Protocol;
using System.Text.Json.Nodes;

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

    private readonly LoopbackServer _server;
    private readonly ScriptedAgent _agent;
    private readonly string _scenario;
    private readonly string _logPath;
    private readonly string _requestsDirectory;
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
        _server = new LoopbackServer("ctoharness-scripted-model", Serve);
        BaseUrl = $"{_server.Origin}/v1";
    }

    public string BaseUrl { get; }

    /// <summary>The server's root (an Anthropic client adds <c>/v1/messages</c> itself).</summary>
    public string Origin => _server.Origin;

    /// <summary>Starts the scripted model for <paramref name="fixture"/>; <paramref name="directory"/> gets its scratch copy and log.</summary>
    /// <param name="servedModel">The model id <c>GET …/models</c> lists (a stand-in for a local endpoint lists the pair's model).</param>
    public static ScriptedModelServer Start(Fixture fixture, string scenario, string directory, string servedModel = ModelId)
    {
        var play = SolutionPlay.From(fixture, Path.Combine(directory, "solution"));
        return new ScriptedModelServer(play, scenario, Path.Combine(directory, "requests.jsonl"), servedModel);
    }

    public void Dispose() => _server.Dispose();

    private void Serve(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        {
            var path = request.Url?.AbsolutePath ?? "";
            if (request.HttpMethod == "GET" && path.EndsWith("/models", StringComparison.Ordinal))
            {
                LoopbackServer.Answer(response, 200, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject { ["id"] = _servedModel, ["object"] = "model", ["owned_by"] = "ctoharness" }),
                });
            }
            else if (request.HttpMethod == "POST" && ApiStyles.OfPath(path) is { } style)
            {
                Complete(request, response, style);
            }
            else
            {
                LoopbackServer.Answer(response, 404, Error($"no route for {request.HttpMethod} {path}", "not_found"));
            }
        }
    }

    private void Complete(HttpListenerRequest request, HttpListenerResponse response, string style)
    {
        using var reader = new StreamReader(request.InputStream);
        var text = reader.ReadToEnd();
        var body = JsonNode.Parse(text)?.AsObject() ?? new JsonObject();
        var role = AgentRole.Of(body);
        var turn = ScriptedAgent.TurnOf(body);
        var sequence = Interlocked.Increment(ref _sequence);
        var writer = ApiStyles.WriterFor(style, response, (string?)body["model"] ?? ModelId, text.Length);
        File.WriteAllText(Path.Combine(_requestsDirectory, $"{sequence:D3}-{role}-{turn}.json"), text.Length <= MaxKeptRequestChars ? text : text[..MaxKeptRequestChars]);

        if (_scenario == ScriptedModelScenario.Vanish && sequence > ScriptedModelScenario.CallsBeforeVanishing)
        {
            Log(sequence, role, turn, "vanished", writer, request);
            _server.Dispose(); // this connection is reset and no other is accepted: the endpoint died
            return;
        }
        if (_scenario == ScriptedModelScenario.Silent)
        {
            Log(sequence, role, turn, "silent", writer, request);
            _server.Stopping.WaitHandle.WaitOne(); // never answers; the run's end closes the connection
            return;
        }
        if (ScriptedModelScenario.HttpStatus(_scenario) is { } status)
        {
            Log(sequence, role, turn, status.ToString(), writer, request);
            var (message, code) = status switch
            {
                401 => ("Incorrect API key provided.", "invalid_api_key"),
                404 => ($"The model '{(string?)body["model"]}' does not exist or you do not have access to it.", "model_not_found"),
                429 => ("Rate limit reached for requests.", "rate_limit_exceeded"),
                529 => ("Overloaded", "overloaded"),
                _ => ("The server had an error while processing your request.", "server_error"),
            };
            writer.Fail(status, message, code);
            return;
        }

        var reply = _scenario == ScriptedModelScenario.Flood
            ? ModelAnswer.Say(new string('x', FloodBytes))
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

    private static JsonObject Error(string message, string code) => LoopbackServer.Error(message, "invalid_request_error", code);

    /// <summary>One line per request; the credential header only as its SHA-256, so a test can check which key arrived.</summary>
    private void Log(int sequence, string role, int turn, string status, AnswerWriter writer, HttpListenerRequest request)
    {
        var line = new JsonObject
        {
            ["sequence"] = sequence,
            ["agent"] = role,
            ["turn"] = turn,
            ["status"] = status,
            ["scenario"] = _scenario,
            ["promptTokens"] = writer.PromptTokens,
            // The credential as the style sends it (Anthropic: x-api-key), only as its SHA-256.
            ["authorizationSha256"] = (request.Headers["Authorization"] ?? request.Headers["x-api-key"]) is { } authorization
                ? Evidence.Sha256.OfBytes(System.Text.Encoding.UTF8.GetBytes(authorization))
                : null,
        }.ToJsonString();
        lock (_logGate)
        {
            File.AppendAllText(_logPath, line + "\n");
        }
    }
}
