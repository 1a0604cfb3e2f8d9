using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Fixtures;
using CtoHarness.Grading;
using CtoHarness.Lanes;
using CtoHarness.Processes;
using CtoHarness.Workspace;
using static CtoHarness.Contracts.FailureKind;

namespace CtoHarness.Stage2;

/// <summary>
/// Every rule that decides how a run ends, in one place: what the fixture must be, what the provider's run amounted
/// to (its exit, its words, the wire), what the change and the final tests show; and, when a run has several
/// failures at once, which one it ends with (docs/design.md "Failure taxonomy and precedence").
/// </summary>
internal static class Verdicts
{
    /// <summary>
    /// First wins. A cancelled build or a harness fault says nothing about the provider; a block comes before anything
    /// started; then how the provider's run ended (cut short by a limit or the time bound, a replay that left its
    /// recording, the wire, Case's own words); only then the change (tampering, none) and the tests.
    /// </summary>
    public static IReadOnlyList<FailureKind> Precedence { get; } =
    [
        Cancelled, HarnessError,
        ProviderUnavailable, ProviderUnverified, SandboxUnavailable, ModelNotAdmitted, LocalConfigUnavailable, ModelUnconfigurable, FixtureInvalid,
        SandboxLimit, ProviderTimeout, ReplayDiverged, ModelUnknown, ModelBudgetExceeded, ModelEndpointUnavailable, ModelEndpointFailed,
        AgentProtocol, ProviderFailed,
        TestsTampered, NoChanges, TestsFailed,
    ];

    /// <summary>The finding a run ends with, or null for a pass; among findings of one kind, the first found.</summary>
    public static Finding? Decide(IEnumerable<Finding> findings) =>
        findings.Select((finding, order) => (finding, order))
            .OrderBy(f => Rank(f.finding.Kind)).ThenBy(f => f.order)
            .Select(f => f.finding).FirstOrDefault();

    private static int Rank(FailureKind kind) =>
        Precedence.IndexOf(kind) is >= 0 and var rank ? rank : throw new InvalidOperationException($"{kind.Code} has no place in the precedence");

    private static int IndexOf(this IReadOnlyList<FailureKind> kinds, FailureKind kind)
    {
        for (var i = 0; i < kinds.Count; i++)
        {
            if (kinds[i] == kind)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A fixture's reference solution must apply to its own sources, or the fixture is invalid.</summary>
    public static void CheckSolutionApplies(Fixture fixture, BaselineRepository baseline)
    {
        if (fixture.SolutionPatchPath is not { } solution)
        {
            return;
        }
        try
        {
            baseline.Run("apply", "--check", solution);
        }
        catch (InvalidOperationException e)
        {
            throw new FixtureInvalidException($"the solution patch '{solution}' does not apply to the fixture's sources: {e.Message}");
        }
    }

    /// <summary>On the pristine workspace every listed test appears, fail-to-pass tests fail and pass-to-pass tests pass.</summary>
    public static void ValidateBaseline(Fixture fixture, TestRun baseline)
    {
        var missing = fixture.AllTestIds.Where(id => baseline.Outcome(id) == TestOutcome.Missing).ToList();
        var problems = new List<string>();
        if (baseline.Disagreements.Count > 0)
        {
            problems.Add($"the baseline test run's evidence disagrees: {string.Join("; ", baseline.Disagreements)}");
        }
        if (missing.Count > 0)
        {
            problems.Add($"tests not found in the baseline run: {string.Join(", ", missing)}");
        }
        if (baseline.Passing(fixture.Manifest.FailToPass) is { Count: > 0 } passingFailToPass)
        {
            problems.Add($"fail-to-pass tests already pass before any change: {string.Join(", ", passingFailToPass)}");
        }
        if (baseline.NotPassing(fixture.Manifest.PassToPass).Except(missing).ToList() is { Count: > 0 } broken)
        {
            problems.Add($"pass-to-pass tests fail before any change: {string.Join(", ", broken)}");
        }
        if (problems.Count > 0)
        {
            throw new FixtureInvalidException($"fixture '{fixture.Id}' baseline is not as declared: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// What the provider's run amounted to (report.json's <c>backend.outcome</c>) and every failure it shows: the time
    /// bound; a replay that left its recording (it proves nothing about the rest); and Case's own outcome, read through
    /// the wire when a relay saw it (Case logs an unreachable endpoint exactly like an answer without a result block).
    /// </summary>
    public static (string Outcome, IReadOnlyList<Finding> Findings) OfProvider(ProviderRun run)
    {
        var outcome = ProviderOutcome.Classify(run.Result, run.Output);
        if (outcome.Failure == ProviderTimeout)
        {
            var killed = string.Join("\n", run.Result.Reaped.Select(p => $"  pid {p.Pid} ({p.Signal}): {p.CommandLine}"));
            return (outcome.Name, [new(ProviderTimeout, $"the provider was stopped after its {run.TimeoutSeconds} s bound",
                $"timeoutSeconds: {run.TimeoutSeconds}\nelapsedMs: {(long)run.Result.Duration.TotalMilliseconds}\nkilled:\n{killed}\n")]);
        }
        var read = run.Wire is { } wire ? WireReading.Judge(outcome, run.Output, wire.Exchanges, wire.Upstream) : outcome;
        var findings = new List<Finding>();
        if (run.Divergence is { } divergence)
        {
            findings.Add(new(ReplayDiverged, divergence.Detail, divergence.MarkerText));
        }
        if (read.Failure is { } failure)
        {
            findings.Add(new(failure, read.Detail, read.MarkerText));
        }
        return (run.Divergence is null ? read.Name : "model-replay-diverged", findings);
    }

    /// <summary>What the change shows: protected files changed (restored before grading), no change at all, or code that reaches into how the tests are judged.</summary>
    public static IEnumerable<Finding> OfChange(CollectedChanges changes, IReadOnlyList<string> tamperedProtected, IReadOnlyList<string> reachingIntoTests)
    {
        if (tamperedProtected.Count > 0)
        {
            yield return new(TestsTampered, $"the provider changed protected files: {string.Join(", ", tamperedProtected)} (restored before grading)");
        }
        if (changes.Files.Count == 0)
        {
            yield return new(NoChanges, "the provider completed but left no change in the workspace");
        }
        if (reachingIntoTests.Count > 0)
        {
            yield return new(TestsTampered, $"the change reaches into how the tests are run and judged, outside the tests: {string.Join("; ", reachingIntoTests.Take(5))}");
        }
    }

    /// <summary>
    /// One final test run's own evidence: the framework rebound while it ran (nothing it recorded can be believed), or
    /// channels that contradict each other (never graded as a pass).
    /// </summary>
    public static IEnumerable<Finding> OfTestRun(TestRun run, string label)
    {
        if (run.Section.FrameworkTampering.Count > 0)
        {
            yield return new(TestsTampered, $"the test framework was rebound during the {label} test run: {string.Join("; ", run.Section.FrameworkTampering)}");
        }
        if (run.Disagreements.Count > 0)
        {
            yield return new(TestsFailed, $"the {label} test run's evidence disagrees, so it is not graded as a pass: {string.Join("; ", run.Disagreements)}");
        }
    }

    /// <summary>Repeats of the final test run must agree on every test.</summary>
    public static Finding? OfRepeat(Fixture fixture, TestRun final, TestRun again, int repeat)
    {
        var disagreeing = fixture.FinalTestIds.Where(id => final.Outcome(id) != again.Outcome(id)).ToList();
        return disagreeing.Count == 0 ? null : new(TestsFailed, "the tests are flaky: repeats of the final test run disagree on " +
            string.Join(", ", disagreeing.Select(id => $"{id} ({final.Outcome(id)} in run 1, {again.Outcome(id)} in run {repeat})")));
    }

    /// <summary>The pass itself: every fail-to-pass and pass-to-pass test (hidden ones included) passes.</summary>
    public static Finding? OfFinalTests(Fixture fixture, TestRun final)
    {
        var stillFailing = final.NotPassing(fixture.FinalFailToPass);
        var regressed = final.NotPassing(fixture.FinalPassToPass);
        if (stillFailing.Count == 0 && regressed.Count == 0)
        {
            return null;
        }
        var parts = new List<string>();
        if (stillFailing.Count > 0)
        {
            parts.Add($"fail-to-pass tests still failing: {string.Join(", ", stillFailing)}");
        }
        if (regressed.Count > 0)
        {
            parts.Add($"pass-to-pass tests broken by the change: {string.Join(", ", regressed)}");
        }
        if (final.Section.BuildErrors.Count > 0)
        {
            parts.Add($"the tests could not be built: {string.Join(" | ", final.Section.BuildErrors)}");
        }
        return new(TestsFailed, string.Join("; ", parts));
    }
}

/// <summary>The facts of one provider run the verdict reads.</summary>
internal sealed record ProviderRun(ProcessResult Result, CaseOutputObserver Output, int TimeoutSeconds, UpstreamDivergence? Divergence, WireRecord? Wire);

/// <summary>What the run's relay saw: every exchange, and where it forwarded them.</summary>
internal sealed record WireRecord(IReadOnlyList<ModelExchange> Exchanges, string Upstream);

/// <summary>
/// What happened on the wire decides before Case's own words (docs/case-contract.md: Case logs an unreachable endpoint
/// exactly like an answer without a result block, and exits 0 either way). The failing agent's calls decide:
/// an endpoint that could not be reached, refused the caller or the model, or failed is "provider unavailable"
/// (blocked when no call ever got an answer); a call the relay refused is a spent budget; a model that answered
/// without a result block is the protocol failure, with the end of its answer quoted. Case's
/// <c>Fatal: Model not found</c> has its own reason: the harness declares every pair to Case, so it means a harness defect.
/// </summary>
internal static class WireReading
{
    private const int QuotedChars = 1500;

    public static ProviderOutcome Judge(ProviderOutcome outcome, CaseOutputObserver output, IReadOnlyList<ModelExchange> exchanges, string upstream)
    {
        if (outcome.Failure is null || outcome.Failure == FailureKind.ProviderTimeout || outcome.Failure == FailureKind.ProviderUnavailable)
        {
            return outcome;
        }
        if (output.FatalMessage is { } fatal && fatal.Contains("Model not found", StringComparison.Ordinal))
        {
            return new("model-unknown", FailureKind.ModelUnknown,
                $"Case did not find the model the harness declared to it ('{fatal}'): every admitted pair is declared in models.json, so this is a harness defect; report it with this run directory")
                { MarkerText = $"fatal: {fatal}\nupstream: {upstream}\n" };
        }

        var agent = output.FailedAgent;
        var calls = exchanges.Where(e => agent is null || e.Agent == agent).ToList();
        var last = (calls.Count > 0 ? calls : exchanges).LastOrDefault();
        if (last is { RefusedByBudget: true })
        {
            return new("model-budget-exceeded", FailureKind.ModelBudgetExceeded, $"the relay refused call {last.Sequence} ({last.Agent}): {last.TransportError}")
            {
                MarkerText = $"budget: {last.TransportError}\ncalls: {exchanges.Count(e => !e.RefusedByBudget)}\ntokens: {exchanges.Sum(e => e.Tokens)}\n",
            };
        }
        if (last is { EndpointFailed: true })
        {
            var answered = exchanges.Count(e => e.Answered);
            var kind = answered == 0 ? FailureKind.ModelEndpointUnavailable : FailureKind.ModelEndpointFailed;
            return new("model-endpoint-unavailable", kind,
                $"the model endpoint {upstream} failed the {last.Agent}'s call {last.Sequence}: {last.Describe()} ({answered} call(s) of the run had an answer)")
            {
                MarkerText = $"endpoint: {upstream}\ncall: {last.Sequence} ({last.Agent} {last.Method} {last.Path})\nfailure: {last.Describe()}\n" +
                             $"answeredCalls: {answered}\nfailedCalls: {exchanges.Count(e => e.EndpointFailed)}\n",
            };
        }
        if (outcome.Failure == FailureKind.AgentProtocol && calls.LastOrDefault(e => e.ResultBlock == false) is { } unanswered)
        {
            var tail = unanswered.TextTail.Length > QuotedChars ? unanswered.TextTail[^QuotedChars..] : unanswered.TextTail;
            return outcome with
            {
                MarkerText = $"call: {unanswered.Sequence} ({unanswered.Agent}), finish reason {unanswered.FinishReason ?? "(none)"}\n" +
                             $"the end of the model's last answer (no valid AGENT_RESULT block):\n---\n{tail}\n---\n",
            };
        }
        return outcome;
    }
}
