using CtoHarness.Contracts;
using CtoHarness.Processes;

namespace CtoHarness.Backend;

/// <summary>What the provider run amounted to, before any grading.</summary>
public sealed record ProviderOutcome(string Name, FailureKind? Failure, string Detail)
{
    public const string Completed = "completed";

    /// <summary>More for the failure's marker file (e.g. what the relay saw on the wire).</summary>
    public string? MarkerText { get; init; }

    /// <summary>
    /// Exit code and output together decide (docs/case-contract.md "Outcome"): real Case exits 0 also when its
    /// pipeline fails, so exit 0 alone never passes; only a completed pipeline that did not also fail does.
    /// </summary>
    public static ProviderOutcome Classify(ProcessResult result, CaseOutputObserver output)
    {
        if (!result.Started)
        {
            // Verified bytes that the OS still cannot execute (bad format, missing interpreter or host): no process ran.
            return new("not-started", FailureKind.ProviderUnavailable, $"the provider could not be started: {result.StartError}");
        }
        if (result.TimedOut)
        {
            return new("timeout", FailureKind.ProviderTimeout, "the provider outlived its time bound");
        }
        if (result.ExitCode != 0)
        {
            var detail = output.FatalMessage is { } fatal
                ? $"the provider exited {result.ExitCode} with '{fatal}'"
                : $"the provider exited {result.ExitCode}{SignalNote(result.ExitCode)} without completing its pipeline";
            return new(output.FatalMessage is null ? "crashed" : "fatal", FailureKind.ProviderFailed, detail);
        }
        if (output.PipelineFailed)
        {
            // A missing or malformed result block fails any agent's phase: the implementer after its one retry,
            // the others at once (docs/case-contract.md "Outcome"). Either way it is the same protocol failure.
            var agent = output.FailedAgent ?? "unknown";
            if (output.ProtocolErrors.TryGetValue(agent, out var error))
            {
                var retry = agent == "implementer" ? ", also on its retry" : "";
                return new("agent-protocol-error", FailureKind.AgentProtocol, $"the {agent} returned no valid AGENT_RESULT block{retry} ({error})");
            }
            return output.AgentProtocolError && agent == "implementer"
                ? new("agent-protocol-error", FailureKind.AgentProtocol, "the implementer returned no valid AGENT_RESULT block, also on its retry")
                : new("pipeline-failed", FailureKind.ProviderFailed, $"the pipeline failed at the {agent} phase");
        }
        if (output.PipelineCompleted)
        {
            return new(Completed, null, "the pipeline completed");
        }
        return new("unknown", FailureKind.ProviderFailed, "the provider exited 0 but its output reports neither a completed nor a failed pipeline");
    }

    private static string SignalNote(int? exitCode) =>
        exitCode is > 128 and < 160 && !OperatingSystem.IsWindows() ? $" (killed by signal {exitCode - 128})" : "";
}
