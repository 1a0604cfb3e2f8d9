namespace CtoHarness.Grading;

/// <summary>One outcome of one test as one channel reported it.</summary>
public sealed record ReportedResult(string Id, string Outcome);

/// <summary>
/// Outcomes a test run's results file or output claim, with what else the run said of itself: its own summary
/// line, where the format has one.
/// </summary>
public sealed record FormatResults(IReadOnlyList<ReportedResult> Results, string Channel)
{
    /// <summary>True for "OK", false for "FAILED", null when the format has no summary or none was printed.</summary>
    public bool? SummarySaysPassed { get; init; }
    public bool HasSummary { get; init; }
    /// <summary>When the run produced no results because its build failed: the compiler's first errors.</summary>
    public IReadOnlyList<string> BuildErrors { get; init; } = [];
}

/// <summary>
/// Decides each test's outcome from every channel a test run offers, and fails closed when they disagree: the
/// format's results (output lines or results file), the harness's own observer (when the command could be
/// observed), the run's summary line and its exit code. Code under test that prints or writes results of its
/// own makes the channels disagree; the disagreement is the verdict, never a pass.
/// </summary>
public static class ResultCrossCheck
{
    public static (Dictionary<string, string> Outcomes, List<string> Disagreements) Judge(FormatResults format, ObservedRun? observed, bool observerUsed, int? exitCode)
    {
        var disagreements = new List<string>();
        var claimed = Merge(format.Results, format.Channel, disagreements);
        var outcomes = claimed;
        if (observerUsed)
        {
            if (observed is null || observed.ExitCode is null)
            {
                disagreements.Add("the harness's test observer did not record the end of the test run (the run ended by a path that skipped it)");
            }
            else if (exitCode is { } code && observed.ExitCode != code)
            {
                disagreements.Add($"the test framework ended with exit code {observed.ExitCode} but the test process exited {code}");
            }
            if (observed is { Results.Count: > 0 })
            {
                // The framework's own record is the authority; what the output claims must agree with it.
                outcomes = Merge(observed.Results, "the harness's test observer", disagreements);
                foreach (var (id, outcome) in claimed)
                {
                    var seen = outcomes.GetValueOrDefault(id, TestOutcome.Missing);
                    if (seen != outcome)
                    {
                        disagreements.Add($"{format.Channel} reports {id} {outcome}, the test framework recorded it {seen}");
                    }
                }
            }
        }

        if (exitCode is { } exit)
        {
            var failing = outcomes.Where(o => o.Value is TestOutcome.Failed or TestOutcome.Error).Select(o => o.Key).ToList();
            if (exit == 0 && failing.Count > 0)
            {
                disagreements.Add($"the test process exited 0 although these tests did not pass: {string.Join(", ", failing.Take(10))}");
            }
            if (exit != 0 && outcomes.Count > 0 && failing.Count == 0)
            {
                disagreements.Add($"the test process exited {exit} although every reported test passed or was skipped");
            }
            if (format.HasSummary && format.SummarySaysPassed is null)
            {
                disagreements.Add("the test run printed no final summary line (OK or FAILED)");
            }
            else if (format.SummarySaysPassed is { } summaryPassed && summaryPassed != (exit == 0))
            {
                disagreements.Add($"the test run's summary says {(summaryPassed ? "OK" : "FAILED")} but the test process exited {exit}");
            }
            else if (format.SummarySaysPassed is { } passed && passed == (failing.Count > 0))
            {
                disagreements.Add($"the test run's summary says {(passed ? "OK" : "FAILED")} but the reported outcomes say otherwise");
            }
        }
        return (outcomes, disagreements);
    }

    /// <summary>
    /// One outcome per id. A test reported both passing and not passing is a disagreement and counts as failed;
    /// failed and error together (several failing subtests) is simply the worse of the two.
    /// </summary>
    private static Dictionary<string, string> Merge(IEnumerable<ReportedResult> results, string channel, List<string> disagreements)
    {
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (!outcomes.TryGetValue(result.Id, out var earlier) || earlier == result.Outcome)
            {
                outcomes[result.Id] = result.Outcome;
            }
            else if (IsFailing(earlier) && IsFailing(result.Outcome))
            {
                outcomes[result.Id] = TestOutcome.Error;
            }
            else
            {
                disagreements.Add($"{channel} reports {result.Id} both {earlier} and {result.Outcome}");
                outcomes[result.Id] = TestOutcome.Failed;
            }
        }
        return outcomes;
    }

    private static bool IsFailing(string outcome) => outcome is TestOutcome.Failed or TestOutcome.Error;
}
