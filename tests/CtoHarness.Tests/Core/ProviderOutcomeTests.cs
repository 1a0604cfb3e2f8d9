using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Processes;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Unit")]
public class ProviderOutcomeTests
{
    private static ProviderOutcome Classify(int exitCode, string stdout, string stderr, bool timedOut = false)
    {
        var observer = new CaseOutputObserver();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            observer.OnLine(OutputStream.Stdout, line);
        }
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            observer.OnLine(OutputStream.Stderr, line);
        }
        return ProviderOutcome.Classify(new ProcessResult { Started = true, ExitCode = exitCode, TimedOut = timedOut }, observer);
    }

    [Fact]
    public void A_completed_pipeline_passes_classification()
    {
        var outcome = Classify(0, "[unattended] Pipeline completed successfully.", """{"level":"info","msg":"pipeline finished","outcome":"completed"}""");

        Assert.Null(outcome.Failure);
        Assert.Equal(ProviderOutcome.Completed, outcome.Name);
    }

    [Fact]
    public void Exit_zero_alone_never_passes()
    {
        var outcome = Classify(0, "[unattended] Starting implementer phase...", "");

        Assert.Equal(FailureKind.ProviderFailed, outcome.Failure);
        Assert.Equal("unknown", outcome.Name);
    }

    [Fact]
    public void A_missing_result_block_is_a_protocol_failure_even_with_exit_zero()
    {
        var outcome = Classify(0, "[unattended] Pipeline failed at implementer phase.",
            """
            {"level":"error","msg":"agent result parse failed","error":"AGENT_RESULT start delimiter not found"}
            {"level":"warn","msg":"agent failed","status":"retrying","failureClass":"agent-protocol-error"}
            {"level":"info","msg":"pipeline finished","outcome":"failed","failedAgent":"implementer"}
            """);

        Assert.Equal(FailureKind.AgentProtocol, outcome.Failure);
    }

    [Fact]
    public void A_retried_protocol_error_that_then_completes_is_a_completed_pipeline()
    {
        var outcome = Classify(0, "[unattended] Pipeline completed successfully.",
            """{"level":"warn","msg":"agent failed","status":"retrying","failureClass":"agent-protocol-error"}""");

        Assert.Null(outcome.Failure);
    }

    [Theory]
    [InlineData("review", "reviewer", "AGENT_RESULT start delimiter not found")]
    [InlineData("close", "closer", "AGENT_RESULT JSON parse error: Unexpected token")]
    [InlineData("verify", "verifier", "AGENT_RESULT invalid status: done")]
    public void A_missing_or_malformed_result_block_at_any_agent_is_a_protocol_failure(string phase, string agent, string error)
    {
        // The lines real Case (30b1fa1) logs: no retry outside the implementer, the phase fails at once.
        var outcome = Classify(0, $"[unattended] Pipeline failed at {agent} phase.",
            $$"""
            {"level":"info","msg":"phase:{{phase}}","phase":"{{phase}}","status":"failed","error":"{{error}}"}
            {"level":"info","msg":"pipeline finished","outcome":"failed","failedAgent":"{{agent}}"}
            """);

        Assert.Equal(FailureKind.AgentProtocol, outcome.Failure);
        Assert.Contains($"the {agent} returned no valid AGENT_RESULT block", outcome.Detail);
        Assert.Contains(error, outcome.Detail);
    }

    [Fact]
    public void Fatal_model_not_found_is_its_own_reason_whatever_the_wire_says()
    {
        var output = new CaseOutputObserver();
        output.OnLine(OutputStream.Stderr, "Fatal: Model not found: openai/gpt-5.5");

        var outcome = CtoHarness.Stage2.WireReading.Judge(Classify(1, "", "Fatal: Model not found: openai/gpt-5.5"), output, [], "http://127.0.0.1:9/v1");

        Assert.Equal(FailureKind.ModelUnknown, outcome.Failure);
        Assert.Contains("harness defect", outcome.Detail);
    }

    [Fact]
    public void The_wire_decides_before_the_protocol_error_case_reports()
    {
        // Case logs a refused connection exactly like an answer without a result block (docs/case-contract.md "Outcome").
        const string stderr = """
            {"level":"info","msg":"phase:implement","phase":"implement","status":"failed","error":"AGENT_RESULT start delimiter not found"}
            {"level":"info","msg":"pipeline finished","outcome":"failed","failedAgent":"implementer"}
            """;
        var output = new CaseOutputObserver();
        foreach (var line in stderr.Split('\n'))
        {
            output.OnLine(OutputStream.Stderr, line);
        }
        var refused = new CtoHarness.Contracts.ModelExchange { Sequence = 1, Agent = "implementer", TransportError = "http://127.0.0.1:9: Connection refused (127.0.0.1:9)" };

        var outcome = CtoHarness.Stage2.WireReading.Judge(Classify(0, "[unattended] Pipeline failed at implementer phase.", stderr), output, [refused], "http://127.0.0.1:9/v1");

        Assert.Equal(FailureKind.ModelEndpointUnavailable, outcome.Failure);
        Assert.Contains("Connection refused", outcome.MarkerText);
    }

    [Fact]
    public void A_pipeline_failed_at_the_reviewer_names_the_agent()
    {
        var outcome = Classify(0, "[unattended] Pipeline failed at reviewer phase.", "");

        Assert.Equal(FailureKind.ProviderFailed, outcome.Failure);
        Assert.Contains("reviewer", outcome.Detail);
    }

    [Fact]
    public void A_fatal_exit_carries_the_message()
    {
        var outcome = Classify(1, "", "Fatal: Model not found: qwen-local/qwen3.6-35b-a3b");

        Assert.Equal(FailureKind.ProviderFailed, outcome.Failure);
        Assert.Equal("fatal", outcome.Name);
        Assert.Contains("Model not found: qwen-local/qwen3.6-35b-a3b", outcome.Detail);
    }

    [Fact]
    public void Completion_lines_do_not_rescue_a_timed_out_provider()
    {
        var outcome = Classify(0, "[unattended] Pipeline completed successfully.", "", timedOut: true);

        Assert.Equal(FailureKind.ProviderTimeout, outcome.Failure);
    }
}
