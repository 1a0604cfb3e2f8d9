using System.Text.Json.Nodes;
using CtoHarness.Contracts;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>
/// The real `ca` (built from the Case source and admitted by build/real-case.sh) on the case-scripted lane, and
/// on the case lanes against endpoints that are down or models it does not know. Every test asserts status,
/// reason, code, marker and zero survivors.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class RealCaTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Stage2Report Run(Stage2Request request)
    {
        var result = Stage2Runner.Run(request);
        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Empty(RunProcesses.Surviving(report));
        Assert.Equal("pid-namespace", report.Backend.ProcessContainment);
        Assert.Equal("verified", report.Provider.Verification);
        Assert.Equal(RealCa.Commit, report.Provider.SourceCommit);
        return report;
    }

    private Stage2Report Ended(Stage2Request request, FailureKind kind)
    {
        var result = Stage2Runner.Run(request);
        var report = ReportAssert.Ended(result, kind);
        Assert.Empty(RunProcesses.Surviving(report));
        return report;
    }

    private static List<JsonObject> ScriptedRequests(Stage2Report report) =>
        File.ReadAllLines(Path.Combine(report.RunDirectory, "backend", "scripted-model", "requests.jsonl"))
            .Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

    [Fact]
    public void The_real_ca_passes_r1_against_the_scripted_model_in_nine_calls()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs")));

        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.Equal("case-scripted", report.Lane);
        Assert.Equal("scripted", report.Model.Upstream);
        Assert.Equal("ctoharness-scripted", report.Model.Requested!.Provider);
        Assert.Equal(["strings.py"], report.Changes.Files);
        var calls = ScriptedRequests(report).GroupBy(r => (string)r["agent"]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["implementer"] = 4, ["reviewer"] = 2, ["closer"] = 2, ["retrospective"] = 1 }, calls);
        var runBytes = Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(runBytes < 1024 * 1024, $"the run directory holds {runBytes} bytes");
    }

    [Fact]
    public void The_real_ca_passes_r2_against_the_scripted_model()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), fixture: TestPaths.IntervalFixture));

        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.Equal(["intervals/merge.py"], report.Changes.Files);
    }

    [Theory]
    [InlineData("no-result-implementer", "implementer")]
    [InlineData("no-result-reviewer", "reviewer")]
    [InlineData("no-result-closer", "closer")]
    public void A_missing_result_block_at_any_agent_is_a_protocol_failure(string scenario, string agent)
    {
        var report = Ended(RealCa.Scripted(_temp.Combine("runs"), scenario), FailureKind.AgentProtocol);

        Assert.Contains($"the {agent} returned no valid AGENT_RESULT block", report.Message);
        Assert.Equal(agent, report.Backend.FailedAgent);
        Assert.Contains("AGENT_RESULT start delimiter not found", File.ReadAllText(Path.Combine(report.RunDirectory, FailureKind.AgentProtocol.Marker!)));
    }

    [Theory]
    [InlineData("silent")]
    [InlineData("tool-sleeps")]
    public void A_model_that_never_answers_or_a_tool_that_never_ends_times_out_with_no_survivors(string scenario)
    {
        var report = Ended(RealCa.Scripted(_temp.Combine("runs"), scenario, timeoutSeconds: 4), FailureKind.ProviderTimeout);

        Assert.True(report.Backend.TimedOut);
        Assert.Contains("timeoutSeconds: 4", File.ReadAllText(Path.Combine(report.RunDirectory, FailureKind.ProviderTimeout.Marker!)));
    }

    [Fact]
    public void A_tool_command_that_leaves_a_detached_process_passes_and_the_process_is_reaped()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), "tool-detaches"));

        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.True(report.Backend.ProcessesReaped >= 1, "the detached sleep was not found");
    }

    [Fact]
    public void Secrets_and_proxies_of_the_build_never_reach_the_real_ca_or_the_evidence()
    {
        var canary = $"canary-{Guid.NewGuid():N}";
        string[] ambient = ["ANTHROPIC_API_KEY", "GITHUB_TOKEN", "GH_TOKEN", "OPENAI_API_KEY", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "CASE_MODEL_OVERRIDE"];
        foreach (var name in ambient)
        {
            Environment.SetEnvironmentVariable(name, canary);
        }
        try
        {
            var report = Run(RealCa.Scripted(_temp.Combine("runs")));

            Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
            // The closer's shell listed the names of its environment; the next request carried them to the model.
            var closer = File.ReadAllText(Directory.GetFiles(Path.Combine(report.RunDirectory, "backend", "scripted-model", "requests"), "*-closer-1.json").Single());
            Assert.Contains("CASE_DATA_DIR", closer);
            Assert.All(ambient.Where(n => n != "OPENAI_API_KEY"), name => Assert.DoesNotContain(name, closer));
            foreach (var file in Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(canary, File.ReadAllText(file));
            }
        }
        finally
        {
            foreach (var name in ambient)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
