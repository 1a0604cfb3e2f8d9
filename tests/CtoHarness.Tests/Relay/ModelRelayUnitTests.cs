using System.Net;
using System.Text;
using CtoHarness.Loopback;
using CtoHarness.Relay;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Relay;

/// <summary>
/// The relay against an upstream written in the test (no `ca`, no child process): what it forwards, what it records,
/// and how it reads a streamed chat answer, a cut one and a refused connection.
/// </summary>
[Trait("Layer", "Unit")]
public sealed class ModelRelayUnitTests : IDisposable
{
    private const string Implementer = "# Implementer\nYou fix the bug.";
    private readonly TempDirectory _temp = new();
    private readonly List<string> _authorizations = [];

    public void Dispose() => _temp.Dispose();

    private static string Request(string system) =>
        $$"""{"model":"m","stream":true,"messages":[{"role":"system","content":{{System.Text.Json.JsonSerializer.Serialize(system)}}},{"role":"user","content":"go"}]}""";

    private static string Chunk(string json) => $"data: {json}\n\n";

    private static string Delta(string content, string role) =>
        "{\"choices\":[{\"index\":0,\"delta\":{" + role + "\"content\":" + System.Text.Json.JsonSerializer.Serialize(content) + "}}]}";

    /// <summary>An endpoint that streams one chat answer: text, then a usage-only final chunk, then [DONE] (or stops short).</summary>
    private LoopbackServer Upstream(bool cutBeforeDone = false) => new("test-upstream", context =>
    {
        lock (_authorizations)
        {
            _authorizations.Add(context.Request.Headers["Authorization"] ?? "");
        }
        using (var reader = new StreamReader(context.Request.InputStream))
        {
            reader.ReadToEnd();
        }
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        var text = "Fixed it.\n<<<AGENT_RESULT\n{\"status\":\"completed\",\"summary\":\"done\"}\nAGENT_RESULT>>>";
        var body = new StringBuilder()
            .Append(Chunk(Delta(text[..10], "\"role\":\"assistant\",")))
            .Append(Chunk(Delta(text[10..], "")));
        if (!cutBeforeDone)
        {
            body.Append(Chunk("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""))
                .Append(Chunk("""{"choices":[],"usage":{"prompt_tokens":120,"completion_tokens":34,"prompt_tokens_details":{"cached_tokens":100}}}"""))
                .Append("data: [DONE]\n\n");
        }
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        response.OutputStream.Write(bytes);
        if (cutBeforeDone)
        {
            response.Abort();
            return;
        }
        response.Close();
    });

    private static (HttpStatusCode Status, string Body) Call(ModelRelay relay, string system)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{relay.BaseUrl}/chat/completions")
        {
            Content = new StringContent(Request(system), Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer placeholder");
        try
        {
            using var response = client.Send(message);
            return (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    [Fact]
    public void A_streamed_answer_is_passed_through_and_recorded_with_its_agent_tokens_and_result_block()
    {
        using var upstream = Upstream();
        using var relay = ModelRelay.Start(new RelayOptions(new Uri($"{upstream.Origin}/v1"), _temp.Combine("model")) { Credential = ("Authorization", "Bearer real-key") });

        var (status, body) = Call(relay, Implementer);
        relay.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith("data: [DONE]\n\n", body);
        var exchange = Assert.Single(relay.Exchanges);
        Assert.Equal("implementer", exchange.Agent);
        Assert.True(exchange.Answered);
        Assert.Null(exchange.TransportError);
        Assert.Equal(120, exchange.PromptTokens);
        Assert.Equal(34, exchange.CompletionTokens);
        Assert.Equal(100, exchange.CachedTokens);
        var traffic = relay.Traffic("model/exchanges.jsonl");
        Assert.Equal((120L, 100L), (traffic.PromptTokens, traffic.CachedTokens));
        Assert.Equal(100, traffic.PerAgent["implementer"].CachedTokens);
        Assert.Equal("stop", exchange.FinishReason);
        Assert.True(exchange.ResultBlock);
        Assert.Equal(["Bearer real-key"], _authorizations);
        Assert.DoesNotContain("real-key", File.ReadAllText(_temp.Combine("model", ModelRelay.ExchangesFileName)));
    }

    [Fact]
    public void An_answer_cut_before_its_end_of_stream_is_recorded_as_failed()
    {
        using var upstream = Upstream(cutBeforeDone: true);
        using var relay = ModelRelay.Start(new RelayOptions(new Uri($"{upstream.Origin}/v1"), _temp.Combine("model")));

        Call(relay, Implementer);
        relay.Dispose();

        var exchange = Assert.Single(relay.Exchanges);
        Assert.False(exchange.Answered);
        Assert.Contains("bytes", exchange.TransportError);
    }

    [Fact]
    public void A_refused_connection_is_answered_502_and_recorded_as_an_endpoint_failure()
    {
        var closedPort = LoopbackPort.Free();
        using var relay = ModelRelay.Start(new RelayOptions(new Uri($"http://127.0.0.1:{closedPort}/v1"), _temp.Combine("model")));

        var (status, _) = Call(relay, "# Reviewer\nreview");
        relay.Dispose();

        Assert.Equal(HttpStatusCode.BadGateway, status);
        var exchange = Assert.Single(relay.Exchanges);
        Assert.Equal("reviewer", exchange.Agent);
        Assert.True(exchange.EndpointFailed);
        Assert.Contains("127.0.0.1", exchange.TransportError);
    }
}
