namespace CtoHarness.Stage2;

/// <summary>
/// The final test run, with the fixture's hidden tests laid over the workspace, repeated when asked (repeats must
/// agree). Only a run with no failure so far is graded: tests that pass never turn a failed provider into a pass.
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
        context.Grading = new GradingRecord(tests.InstallHiddenTests(), null, []);
        var final = tests.Run("final", context.Cancellation, final: true);
        context.Grading = context.Grading with { Final = final.Section };
        if (Found(context, Verdicts.OfTestRun(final, "final")))
        {
            return;
        }
        for (var repeat = 2; repeat <= context.Request.TestRepeats; repeat++)
        {
            var again = tests.Run($"final-repeat-{repeat}", context.Cancellation, final: true);
            context.Grading = context.Grading with { Repeats = [.. context.Grading.Repeats, again.Section] };
            if (Found(context, [.. Verdicts.OfTestRun(again, $"final-repeat-{repeat}"), Verdicts.OfRepeat(fixture, final, again, repeat)]))
            {
                return;
            }
        }
        Found(context, [Verdicts.OfFinalTests(fixture, final)]);
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
