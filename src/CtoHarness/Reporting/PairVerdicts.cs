using CtoHarness.Contracts;
using CtoHarness.Stage2;

namespace CtoHarness.Reporting;

/// <summary>A coded line about a pair of the set: its code, the file it points at, and its text.</summary>
public sealed record PairLine(string Code, string File, string Message);

/// <summary>
/// What the build says about each pair with several attempts: one error when it failed its policy (or the set's budget
/// left it undecided), one warning when it passed with failed attempts; each names the policy, the count, and every
/// failed attempt's reason, code and report. A pair of one attempt is reported by its run's own code instead.
/// </summary>
public static class PairVerdicts
{
    public static PairLine? Of(PairResult pair, string fallbackFile)
    {
        var summary = pair.Summary;
        var failed = pair.Attempts.Where(a => !a.Passed).ToList();
        var file = failed.FirstOrDefault()?.ReportPath ?? pair.Attempts.FirstOrDefault()?.ReportPath ?? fallbackFile;
        var head = $"fixture '{summary.Fixture}' on lane '{summary.Lane}': {summary.AttemptsPassed} of {summary.Attempts} passed, policy {summary.Policy}";
        if (summary.Verdict == RunStatus.Pass)
        {
            return failed.Count == 0 ? null
                : new PairLine(Diagnostics.PairPassedWithFailures.Code, file, $"{head}: passed with {failed.Count} failed attempt(s): {Attempts(failed)}.");
        }
        var saved = summary.AttemptsSaved > 0 ? $" {summary.AttemptsSaved} attempt(s) saved by early stop." : "";
        if (summary.AttemptsNotRunForBudget > 0)
        {
            return new PairLine(Diagnostics.SetBudgetSpent.Code, file, $"{head}: not decided: {summary.VerdictReason}." +
                (failed.Count > 0 ? $" Failed attempts: {Attempts(failed)}." : "") + saved);
        }
        return new PairLine(Diagnostics.PairPolicyFailed.Code, file, $"{head}: failed. Failed attempts: {Attempts(failed)}.{saved}");
    }

    private static string Attempts(IEnumerable<Stage2Result> failed) => string.Join("; ", failed.Select(a =>
        $"attempt {a.Report.Attempt} ended {a.Report.Status.ToString().ToLowerInvariant()}: {a.Report.FailureReason} ({a.Report.ErrorCode}), report {a.ReportPath}"));
}
