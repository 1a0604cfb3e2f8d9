namespace CtoHarness.Stage2;

/// <summary>
/// The final test run, from the baseline's build outputs (never the ones the agent or an earlier run left) with the
/// fixture's hidden tests laid over the workspace, repeated when asked (repeats must agree). Only a run with no failure so far is graded: tests that pass never turn a failed provider into a pass.
/// </summary>
internal static class GradingStep
{
    public static void Run(RunContext context, PreparedWorkspace workspace)
    {
        if (context.Failed)
        {
            return;
        }
        var (fixture, tests) = (context.Fixture, workspace.Tests);
        var changed = context.Change?.Files ?? [];
        context.Grading = new GradingRecord([], null, []);
        SetAside(context, workspace, changed, "ignored");
        context.Grading = context.Grading with { HiddenFiles = tests.InstallHiddenTests() };
        var final = tests.Run("final", context.Cancellation, final: true);
        context.Grading = context.Grading with { Final = final.Section };
        if (Found(context, Verdicts.OfTestRun(final, "final")))
        {
            return;
        }
        for (var repeat = 2; repeat <= context.Request.TestRepeats; repeat++)
        {
            SetAside(context, workspace, changed, $"ignored-before-repeat-{repeat}");
            var again = tests.Run($"final-repeat-{repeat}", context.Cancellation, final: true);
            context.Grading = context.Grading with { Repeats = [.. context.Grading.Repeats, again.Section] };
            if (Found(context, [.. Verdicts.OfTestRun(again, $"final-repeat-{repeat}"), Verdicts.OfRepeat(fixture, final, again, repeat)]))
            {
                return;
            }
        }
        Found(context, [Verdicts.OfFinalTests(fixture, final)]);
    }

    /// <summary>What the workspace holds under ignored paths goes to changes/&lt;folder&gt;; the baseline's build outputs come back.</summary>
    private static void SetAside(RunContext context, PreparedWorkspace workspace, IReadOnlyList<string> changed, string folder)
    {
        var moved = workspace.Outputs.Reset(changed, context.Run.Combine("changes", folder));
        context.Grading = context.Grading! with { SetAside = [.. context.Grading.SetAside, .. moved.Select(m => $"changes/{folder}/{m}")] };
    }

    private static bool Found(RunContext context, IEnumerable<Finding?> findings)
    {
        var found = false;
        foreach (var finding in findings.OfType<Finding>())
        {
            context.Add(finding);
            found = true;
        }
        return found;
    }
}
