using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Fixtures;
using CtoHarness.ScriptedModel;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>The scripted model over real HTTP on loopback, as Case's agents talk to it.</summary>
[Trait("Layer", "Unit")]
public sealed class ScriptedModelServerTests : IDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ScriptedModelServer Start(string scenario = ScriptedModelScenario.Solve) =>
        ScriptedModelServer.Start(FixtureLoader.Load(TestPaths.SlugifyFixture), scenario, _temp.Combine($"model-{Guid.NewGuid():N}"));

    private static StringContent Chat(string role, int assistantTurns, bool stream)
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = $"---\nname: x\n---\n\n# {role}\n\nYou are the {role}." });
        for (var i = 0; i < assistantTurns; i++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = "go on" });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "ok" });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = "go on" });
        var body = new JsonObject { ["model"] = ScriptedModelServer.ModelId, ["stream"] = stream, ["messages"] = messages };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    private static List<JsonObject> Events(string sse)
    {
        var lines = sse.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        Assert.Equal("[DONE]", lines[^1]);
        return lines.SkipLast(1).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    [Fact]
    public async Task The_implementer_reads_writes_tests_and_reports_through_streamed_tool_calls()
    {
        using var server = Start();

        var read = Events(await (await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Implementer", 0, stream: true))).Content.ReadAsStringAsync());
        var write = Events(await (await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Implementer", 1, stream: true))).Content.ReadAsStringAsync());
        var result = Events(await (await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Implementer", 3, stream: true))).Content.ReadAsStringAsync());

        Assert.Equal("tool_calls", (string?)read[^1]["choices"]![0]!["finish_reason"]);
        Assert.Equal("read", (string?)read.Select(e => e["choices"]![0]!["delta"]!["tool_calls"]?[0]?["function"]?["name"]).First(n => n is not null));
        var arguments = string.Concat(write.Select(e => (string?)e["choices"]![0]!["delta"]!["tool_calls"]?[0]?["function"]?["arguments"] ?? ""));
        Assert.Contains("\"path\":\"strings.py\"", arguments);
        var text = string.Concat(result.Select(e => (string?)e["choices"]![0]!["delta"]!["content"] ?? ""));
        Assert.Contains("<<<AGENT_RESULT", text);
        Assert.Contains("AGENT_RESULT>>>", text);
        Assert.Equal("stop", (string?)result[^1]["choices"]![0]!["finish_reason"]);
        Assert.True((long)result[^1]["usage"]!["completion_tokens"]! > 0);
    }

    [Fact]
    public async Task Non_streaming_answers_and_the_model_list_are_plain_json()
    {
        using var server = Start();

        var completion = JsonNode.Parse(await (await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Retrospective", 0, stream: false))).Content.ReadAsStringAsync())!;
        var models = JsonNode.Parse(await Client.GetStringAsync($"{server.BaseUrl}/models"))!;

        Assert.Contains("<<<AGENT_RESULT", (string?)completion["choices"]![0]!["message"]!["content"]);
        Assert.Equal(ScriptedModelServer.ModelId, (string?)models["data"]![0]!["id"]);
    }

    [Theory]
    [InlineData("http-401", HttpStatusCode.Unauthorized, "invalid_api_key")]
    [InlineData("http-404", HttpStatusCode.NotFound, "model_not_found")]
    [InlineData("http-429", HttpStatusCode.TooManyRequests, "rate_limit_exceeded")]
    [InlineData("http-500", HttpStatusCode.InternalServerError, "server_error")]
    public async Task Http_error_scenarios_answer_with_the_status_and_an_openai_error(string scenario, HttpStatusCode status, string code)
    {
        using var server = Start(scenario);

        var response = await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Implementer", 0, stream: true));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Fact]
    public async Task A_dropped_stream_ends_without_done_and_a_silent_model_never_answers()
    {
        using (var dropping = Start(ScriptedModelScenario.DropStream))
        {
            var body = "";
            try
            {
                body = await (await Client.PostAsync($"{dropping.BaseUrl}/chat/completions", Chat("Implementer", 0, stream: true))).Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // the connection was cut: that is the point
            }
            Assert.DoesNotContain("[DONE]", body);
        }

        using var silent = Start(ScriptedModelScenario.Silent);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.PostAsync($"{silent.BaseUrl}/chat/completions", Chat("Implementer", 0, stream: true), wait.Token));
    }

    [Fact]
    public async Task The_server_listens_on_loopback_only_and_records_each_request()
    {
        using var server = Start();
        Assert.StartsWith("http://127.0.0.1:", server.BaseUrl);

        (await Client.PostAsync($"{server.BaseUrl}/chat/completions", Chat("Reviewer", 0, stream: true))).Dispose();

        var directory = Directory.GetDirectories(_temp.Path).Single();
        var line = JsonNode.Parse(File.ReadAllLines(Path.Combine(directory, "requests.jsonl")).Single())!;
        Assert.Equal("reviewer", (string?)line["agent"]);
        Assert.Single(Directory.GetFiles(Path.Combine(directory, "requests"), "001-reviewer-0.json"));
    }
}
