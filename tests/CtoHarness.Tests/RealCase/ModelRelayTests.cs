using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Loopback;
using CtoHarness.Models;
using CtoHarness.Relay;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>
/// The relay between the real `ca` and its model: what happened on the wire decides the verdict, the traffic
/// is recorded, budgets fail closed, and no key or Authorization value ever reaches the evidence.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class ModelRelayTests : IDisposable
{
    private static readonly AdmittedModel LocalQwen = new("qwen-local", "qwen3.6-35b-a3b") { Local = true, CaseProvider = "openai" };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Stage2Report Ended(Stage2Request request, FailureKind kind, params string[] markerLines)
    {
        var result = Stage2Runner.Run(request);
        var report = ReportAssert.Ended(result, kind);
        Assert.Empty(RunProcesses.Surviving(report));
        var marker = File.ReadAllText(result.EvidencePath);
        Assert.All(markerLines, line => Assert.Contains(line, marker));
        return report;
    }

    private static List<JsonObject> Lines(string path) => File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public void A_pass_records_every_call_per_agent_with_the_tokens_the_model_reported()
    {
        var result = Stage2Runner.Run(RealCa.Scripted(_temp.Combine("runs")));

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        var traffic = report.Model.Traffic!;
        Assert.Equal(9, traffic.Calls);
        Assert.Equal(4, traffic.PerAgent["implementer"].Calls);
        Assert.Equal(2, traffic.PerAgent["reviewer"].Calls);
        Assert.Equal(2, traffic.PerAgent["closer"].Calls);
        Assert.Equal(1, traffic.PerAgent["retrospective"].Calls);
        var scripted = Lines(Path.Combine(report.RunDirectory, "backend", "scripted-model", "requests.jsonl"));
        Assert.Equal(scripted.Sum(l => (long)l["promptTokens"]!), traffic.PromptTokens);
        Assert.True(traffic.CompletionTokens > 0);
        Assert.Equal(0, traffic.Errors);
        Assert.StartsWith("http://127.0.0.1:", traffic.RelayUrl);
        var exchanges = Lines(Path.Combine(report.RunDirectory, traffic.ExchangesLog));
        Assert.Equal(9, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(200, (int)e["status"]!));
        Assert.Equal(["read"], exchanges[0]["toolCalls"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.True((bool)exchanges[3]["resultBlock"]!);
        Assert.True((long)exchanges[0]["lastByteMs"]! >= (long)exchanges[0]["firstByteMs"]!);
        // The models.json Case read points at the relay, not at the endpoint.
        var models = File.ReadAllText(Path.Combine(report.RunDirectory, "backend", "pi-agent", "models.json"));
        Assert.Contains(traffic.RelayUrl, models);
    }

    [Fact]
    public void An_endpoint_that_refuses_connections_blocks_before_case_starts()
    {
        var port = LoopbackPort.Free();
        var request = RealCa.Plan(_temp.Combine("runs"), "case-qwen-local", baseUrl: $"http://127.0.0.1:{port}/v1", admitted: [LocalQwen]);

        var report = Ended(request, FailureKind.ModelEndpointUnavailable, $"127.0.0.1:{port}", "Connection refused");

        Assert.False(report.Backend.CaseProcessStarted);
        Assert.True(report.DurationMs < 5000, $"{report.DurationMs} ms");
    }

    [Fact]
    public void An_endpoint_that_dies_mid_run_is_unavailable_with_the_socket_error()
    {
        var report = Ended(RealCa.Scripted(_temp.Combine("runs"), "vanish"), FailureKind.ModelEndpointFailed, "failure: ", "answeredCalls: 3");

        Assert.True(report.Model.Traffic!.Errors >= 1);
        Assert.Contains("127.0.0.1", report.Model.Traffic.FirstError);
    }

    [Fact]
    public void An_unauthorised_caller_is_unavailable_naming_the_status()
    {
        var report = Ended(RealCa.Scripted(_temp.Combine("runs"), "http-401"), FailureKind.ModelEndpointUnavailable, "failure: HTTP 401");

        Assert.True(report.Backend.CaseProcessStarted);
        Assert.Contains("HTTP 401", report.Message);
    }

    [Fact]
    public void A_reviewer_that_answers_without_a_result_block_is_a_protocol_failure_quoting_its_answer()
    {
        Ended(RealCa.Scripted(_temp.Combine("runs"), "no-result-reviewer"), FailureKind.AgentProtocol,
            "I looked at the task as the reviewer and I am done.", "no valid AGENT_RESULT block");
    }

    [Fact]
    public void A_spent_call_budget_fails_the_run_with_the_figures()
    {
        var request = RealCa.Scripted(_temp.Combine("runs")) with { ModelMaxCalls = 3 };

        var report = Ended(request, FailureKind.ModelBudgetExceeded, "CtoHarnessModelMaxCalls", "3 of 3 calls");

        Assert.Equal(3, report.Model.Traffic!.Calls - report.Model.Traffic.Errors);
    }

    [Fact]
    public void Progress_lines_name_each_agent_as_it_starts_and_ends()
    {
        var lines = new List<string>();
        var request = RealCa.Scripted(_temp.Combine("runs")) with { Progress = line => { lock (lines) { lines.Add(line); } } };

        Assert.Equal(RunStatus.Pass, Stage2Runner.Run(request).Report.Status);

        Assert.Contains(lines, l => l.StartsWith("implementer started talking to the model"));
        Assert.Contains(lines, l => l.StartsWith("implementer done") && l.Contains("4 call(s)"));
        Assert.Contains(lines, l => l.StartsWith("retrospective done"));
    }

    [Fact]
    public void The_relay_puts_the_real_key_upstream_and_no_key_or_authorization_reaches_the_evidence()
    {
        // A hosted-style pair whose endpoint is the scripted model: the relay holds the key, Case only a placeholder.
        var key = $"sk-live-{Guid.NewGuid():N}";
        var scripted = CtoHarness.ScriptedModel.ScriptedModelServer.Start(CtoHarness.Fixtures.FixtureLoader.Load(TestPaths.SlugifyFixture), "solve", _temp.Combine("upstream"));
        using (scripted)
        using (var relay = ModelRelay.Start(new RelayOptions(new Uri(scripted.BaseUrl), _temp.Combine("model")) { Credential = ("Authorization", $"Bearer {key}") }))
        {
            using var client = new HttpClient();
            using var message = new HttpRequestMessage(HttpMethod.Post, $"{relay.BaseUrl}/chat/completions")
            {
                Content = new StringContent("""{"model":"m","stream":true,"messages":[{"role":"system","content":"# Reviewer"},{"role":"user","content":"go"}]}""", Encoding.UTF8, "application/json"),
            };
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer ctoharness-local-placeholder-key");
            using var response = client.Send(message);
            Assert.Equal(200, (int)response.StatusCode);
        }

        var seen = Lines(Path.Combine(_temp.Path, "upstream", "requests.jsonl")).Single();
        Assert.Equal(Sha256.OfBytes(Encoding.UTF8.GetBytes($"Bearer {key}")), (string)seen["authorizationSha256"]!);
        foreach (var file in Directory.EnumerateFiles(_temp.Combine("model"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(key, text);
            Assert.DoesNotContain("Bearer", text);
        }
    }
}
