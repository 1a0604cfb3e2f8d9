using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Loopback;
using CtoHarness.Protocol;

namespace CtoHarness.Relay;

/// <summary>What the relay forwards to and enforces.</summary>
/// <param name="Upstream">The model endpoint's base URL (e.g. <c>http://127.0.0.1:8080/v1</c>, <c>https://api.openai.com/v1</c>).</param>
/// <param name="Directory">Where the exchanges are recorded (the run's <c>backend/model/</c>).</param>
public sealed record RelayOptions(Uri Upstream, string Directory)
{
    /// <summary>The header the relay puts on every upstream request instead of Case's placeholder (e.g. Authorization: Bearer …).</summary>
    public (string Name, string Value)? Credential { get; init; }
    public long? MaxCalls { get; init; }
    public long? MaxTokens { get; init; }
    /// <summary>The pair's declared prices: each call's cost counts against <see cref="MaxCost"/> and is added to <see cref="SetSpend"/>.</summary>
    public ModelPrices? Prices { get; init; }
    public decimal? MaxCost { get; init; }
    public string Currency { get; init; } = ModelPrices.DefaultCurrency;
    public SpendMeter? SetSpend { get; init; }
    /// <summary>Bytes kept of each request and response body; the rest is counted, not kept.</summary>
    public long BodyCapBytes { get; init; } = 1024 * 1024;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A PEM root certificate to trust for an https upstream (a private CA); null: the system's roots.</summary>
    public string? TrustedCertificate { get; init; }
    /// <summary>Called with one line when an agent starts talking to the model and when the next one takes over.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>
/// The harness's relay between Case and its model, on loopback only, for one run. Case's configuration
/// points at it; it forwards any method and path to the upstream endpoint, puts the real key on the upstream
/// request (Case only ever holds a placeholder), streams answers back as they arrive, refuses calls past the
/// run's budgets, and records every exchange (backend/model/exchanges.jsonl, and each body, capped) without
/// ever recording an Authorization value. What it saw tells the runner what really happened on the wire.
/// </summary>
public sealed class ModelRelay : IDisposable
{
    public const string ExchangesFileName = "exchanges.jsonl";
    private const int ChunkBytes = 16 * 1024;
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Accept-Encoding", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
        "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection", "x-api-key", "api-key",
    };

    private readonly RelayOptions _options;
    private readonly LoopbackServer _server;
    private readonly HttpClient _client;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<ModelExchange> _exchanges = [];
    private readonly string _exchangesPath;
    private string? _currentAgent;
    private int _sequence;

    private ModelRelay(RelayOptions options)
    {
        _options = options;
        Directory.CreateDirectory(options.Directory);
        _exchangesPath = Path.Combine(options.Directory, ExchangesFileName);
        File.WriteAllBytes(_exchangesPath, []);
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false, // the relay talks to exactly the endpoint it was given
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = TrustedRoot.Options(options.TrustedCertificate),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _server = new LoopbackServer("ctoharness-relay", Relay);
        BaseUrl = $"{_server.Origin}{options.Upstream.AbsolutePath.TrimEnd('/')}";
    }

    /// <summary>The base URL Case is given: the relay's loopback origin with the upstream's path.</summary>
    public string BaseUrl { get; }

    public string Upstream => _options.Upstream.ToString();

    public static ModelRelay Start(RelayOptions options) => new(options);

    public IReadOnlyList<ModelExchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges.OrderBy(e => e.Sequence)];
            }
        }
    }

    public ModelTraffic Traffic(string exchangesLog) => ModelTraffic.Of(Exchanges, BaseUrl, Upstream, exchangesLog);

    public void Dispose()
    {
        _server.Dispose(); // waits for the exchanges in flight to be recorded
        _client.Dispose();
        ReportAgentEnd();
    }

    private void Relay(HttpListenerContext context)
    {
        var exchange = new ModelExchange
        {
            Sequence = Interlocked.Increment(ref _sequence),
            Method = context.Request.HttpMethod,
            Path = context.Request.Url?.PathAndQuery ?? "/",
            StartedAt = DateTimeOffset.UtcNow,
        };
        exchange.Api = exchange.Method == "POST" ? ApiStyles.OfPath(exchange.Path) : null;
        var started = _clock.Elapsed;
        try
        {
            var body = ReadBody(context.Request);
            exchange.RequestBytes = body.Length;
            try
            {
                if (BudgetSpent() is { } spent)
                {
                    Refuse(context.Response, exchange, spent);
                    return;
                }
                Forward(context, exchange, body, started);
            }
            finally
            {
                // Read and kept after the answer, so that recording never delays it.
                exchange.Agent = AgentRole.Of(body);
                NoteAgent(exchange.Agent);
                exchange.RequestBody = KeepBody($"{exchange.Sequence:D3}-{exchange.Agent}.request.json", body);
                exchange.ResponseBody = NameByAgent(exchange.ResponseBody, exchange);
            }
        }
        catch (Exception e) when (e is IOException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            exchange.TransportError ??= $"the exchange broke off: {e.Message}";
            Abort(context.Response);
        }
        finally
        {
            exchange.EndedAt = DateTimeOffset.UtcNow;
            Record(exchange);
        }
    }

    private void Forward(HttpListenerContext context, ModelExchange exchange, byte[] body, TimeSpan started)
    {
        var target = new Uri(_options.Upstream, exchange.Path);
        using var request = UpstreamRequest(context, exchange, body);
        HttpResponseMessage response;
        try
        {
            response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, _server.Stopping);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            exchange.TransportError = $"{target.GetLeftPart(UriPartial.Authority)}: {Describe(e)}";
            LoopbackServer.Answer(context.Response, 502, Error($"CtoHarness relay: the model endpoint could not be reached ({exchange.TransportError})", "ctoharness_upstream_unreachable"));
            return;
        }
        using (response)
        {
            exchange.Status = (int)response.StatusCode;
            exchange.ContentType = response.Content.Headers.ContentType?.ToString();
            var eventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            var reader = ApiStyles.ReaderFor(exchange.Api);
            Relay(response, context.Response, exchange, reader, eventStream, started, target);
            if (exchange.TransportError is null && response.IsSuccessStatusCode &&
                reader.Error is null && (exchange.ResponseBytes == 0 || (eventStream && !reader.Ended)))
            {
                // The connection ended cleanly but the answer did not: the endpoint went away mid-answer.
                exchange.TransportError = $"{target.GetLeftPart(UriPartial.Authority)}: the answer ended after {exchange.ResponseBytes} bytes, before its end of stream";
            }
            exchange.PromptTokens = reader.PromptTokens;
            exchange.CompletionTokens = reader.CompletionTokens;
            exchange.CachedTokens = reader.CachedTokens;
            exchange.ApiError = reader.Error;
            exchange.FinishReason = reader.FinishReason;
            exchange.ToolCalls = reader.ToolCalls;
            exchange.TextTail = reader.TextTail;
            exchange.ResultBlock = exchange.Answered && reader.ToolCalls.Count == 0 && exchange.Api is not null
                ? ResultBlock.IsWellFormed(reader.TextTail)
                : null;
        }
    }

    /// <summary>Case's request as the endpoint gets it: its headers but the hop-by-hop ones, and the real credential in place of the placeholder.</summary>
    private HttpRequestMessage UpstreamRequest(HttpListenerContext context, ModelExchange exchange, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(exchange.Method), new Uri($"{_options.Upstream.GetLeftPart(UriPartial.Authority)}{exchange.Path}"));
        if (body.Length > 0 || exchange.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent(body);
        }
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => !NotForwarded.Contains(n)))
        {
            var value = context.Request.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (_options.Credential is { } credential)
        {
            request.Headers.TryAddWithoutValidation(credential.Name, credential.Value);
        }
        else if (context.Request.Headers["Authorization"] is { } placeholder)
        {
            request.Headers.TryAddWithoutValidation("Authorization", placeholder); // a local endpoint gets Case's placeholder
        }
        return request;
    }

    /// <summary>Streams the answer to Case as it arrives, reading and keeping it on the way; a cut is recorded, never hidden.</summary>
    private void Relay(HttpResponseMessage response, HttpListenerResponse reply, ModelExchange exchange, AnswerReader reader, bool eventStream, TimeSpan started, Uri target)
    {
        reply.StatusCode = (int)response.StatusCode;
        reply.ContentType = response.Content.Headers.ContentType?.ToString();
        reply.SendChunked = true;
        using var kept = new CappedFile(Path.Combine(_options.Directory, $"{exchange.Sequence:D3}.response.txt"), _options.BodyCapBytes);
        exchange.ResponseBody = Path.GetFileName(kept.Path);
        using var upstream = response.Content.ReadAsStream(_server.Stopping);
        var buffer = new byte[ChunkBytes];
        while (true)
        {
            int read;
            try
            {
                read = upstream.Read(buffer, 0, buffer.Length);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                exchange.TransportError = $"{target.GetLeftPart(UriPartial.Authority)}: the answer was cut after {exchange.ResponseBytes} bytes ({Describe(e)})";
                Abort(reply);
                break;
            }
            if (read == 0)
            {
                reply.Close();
                break;
            }
            exchange.FirstByteMs ??= (long)(_clock.Elapsed - started).TotalMilliseconds;
            exchange.ResponseBytes += read;
            // Case first, then the evidence: reading and keeping never delay an answer.
            reply.OutputStream.Write(buffer, 0, read);
            reply.OutputStream.Flush();
            reader.Feed(buffer.AsSpan(0, read), eventStream);
            kept.Write(buffer.AsSpan(0, read));
        }
        exchange.LastByteMs = (long)(_clock.Elapsed - started).TotalMilliseconds;
        reader.Finish();
    }

    /// <summary>The budget that is spent, or null: calls are counted as made, tokens as the endpoint reported them.</summary>
    private string? BudgetSpent()
    {
        lock (_gate)
        {
            var calls = _exchanges.Count(e => !e.RefusedByBudget);
            var tokens = _exchanges.Sum(e => e.Tokens);
            if (_options.MaxCalls is { } maxCalls && calls >= maxCalls)
            {
                return $"the call budget is spent: {calls} of {maxCalls} calls (CtoHarnessModelMaxCalls)";
            }
            if (_options.MaxTokens is { } maxTokens && tokens >= maxTokens)
            {
                return $"the token budget is spent: {tokens} of {maxTokens} tokens (CtoHarnessModelMaxTokens)";
            }
            if (_options is { MaxCost: { } maxCost, Prices: { } prices } && _exchanges.Sum(prices.CostOf) is var cost && cost >= maxCost)
            {
                return $"the cost budget is spent: {Money.Format(cost)} of {Money.Format(maxCost)} {_options.Currency} (CtoHarnessModelMaxCost)";
            }
            return null;
        }
    }

    private static void Refuse(HttpListenerResponse response, ModelExchange exchange, string spent)
    {
        exchange.RefusedByBudget = true;
        exchange.TransportError = spent;
        exchange.Status = 400;
        // 400, not 429: a budget does not come back, so Case must not wait and retry.
        LoopbackServer.Answer(response, 400, Error($"CtoHarness relay: model budget exceeded: {spent}", "ctoharness_budget_exceeded"));
    }

    private void NoteAgent(string agent)
    {
        lock (_gate)
        {
            if (agent == _currentAgent || agent == AgentRole.Unknown)
            {
                return;
            }
            ReportAgentEndLocked();
            _currentAgent = agent;
            _options.Progress?.Invoke($"{agent} started talking to the model at {_clock.Elapsed.TotalSeconds:F1} s ({Totals()})");
        }
    }

    private void ReportAgentEnd()
    {
        lock (_gate)
        {
            ReportAgentEndLocked();
            _currentAgent = null;
        }
    }

    private void ReportAgentEndLocked()
    {
        if (_currentAgent is { } agent)
        {
            var mine = _exchanges.Where(e => e.Agent == agent).ToList();
            var tokens = mine.Sum(e => e.Tokens);
            _options.Progress?.Invoke($"{agent} done at {_clock.Elapsed.TotalSeconds:F1} s: {mine.Count} call(s), {tokens} tokens ({Totals()})");
        }
    }

    private string Totals() =>
        $"run so far: {_exchanges.Count} call(s), {_exchanges.Sum(e => e.Tokens)} tokens";

    private void Record(ModelExchange exchange)
    {
        var line = JsonSerializer.Serialize(exchange, JsonFiles.CompactOptions) + "\n";
        lock (_gate)
        {
            _exchanges.Add(exchange);
            File.AppendAllText(_exchangesPath, line);
        }
        if (_options.Prices is { } prices)
        {
            _options.SetSpend?.Add(prices.CostOf(exchange));
        }
    }

    /// <summary>The kept answer, renamed to carry its agent once the request has been read.</summary>
    private string? NameByAgent(string? name, ModelExchange exchange)
    {
        if (name is null || !File.Exists(Path.Combine(_options.Directory, name)))
        {
            return name;
        }
        var named = $"{exchange.Sequence:D3}-{exchange.Agent}.response.txt";
        File.Move(Path.Combine(_options.Directory, name), Path.Combine(_options.Directory, named), overwrite: true);
        return named;
    }

    private string KeepBody(string name, byte[] body)
    {
        using var file = new CappedFile(Path.Combine(_options.Directory, name), _options.BodyCapBytes);
        file.Write(body);
        return name;
    }

    private static byte[] ReadBody(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        request.InputStream.CopyTo(buffer);
        return buffer.ToArray();
    }


    private static void Abort(HttpListenerResponse response)
    {
        try
        {
            response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // already closed
        }
    }

    private static JsonObject Error(string message, string code) => LoopbackServer.Error(message, "ctoharness_relay_error", code);

    /// <summary>The innermost message of a transport failure (e.g. "Connection refused (127.0.0.1:8080)").</summary>
    private static string Describe(Exception e) =>
        e is OperationCanceledException ? "no answer before the connect timeout or the end of the run" : e.GetBaseException().Message;
}

/// <summary>A file that keeps the first <c>cap</c> bytes written to it and notes how many more there were.</summary>
internal sealed class CappedFile(string path, long cap) : IDisposable
{
    private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.Write, FileShare.Read);
    private long _total;

    public string Path { get; } = path;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        var keep = (int)Math.Min(bytes.Length, Math.Max(0, cap - _total));
        _stream.Write(bytes[..keep]);
        _total += bytes.Length;
    }

    public void Dispose()
    {
        if (_total > cap)
        {
            _stream.Write(Encoding.UTF8.GetBytes($"\n[ctoharness] body truncated: kept the first {cap} of {_total} bytes.\n"));
        }
        _stream.Dispose();
    }
}
