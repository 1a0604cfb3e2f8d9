using CtoHarness.Grading;
using CtoHarness.Workspace;

namespace CtoHarness.Stage2;

/// <summary>The workspace as the provider gets it: its baseline repository, its test runner, the baseline run, the protected files' digests.</summary>
internal sealed record PreparedWorkspace(BaselineRepository Baseline, FixtureTestRunner Tests, ProtectedFiles Protected);

/// <summary>
/// The workspace (a copy of the fixture's sources only, committed as one baseline) and the baseline tests: the
/// fixture's fail-to-pass tests must fail and its pass-to-pass tests pass before the provider runs, or the fixture is invalid.
/// </summary>
internal static class WorkspaceStep
{
    public static PreparedWorkspace Run(RunContext context, PreflightResult preflight)
    {
        var (fixture, run) = (context.Fixture, context.Run);
        context.Workspace = new WorkspaceRecord(context.Reaper.Marker, null);
        var baseline = WorkspaceBuilder.Create(fixture, run.Workspace, run.HarnessGit);
        Verdicts.CheckSolutionApplies(fixture, baseline);
        var tests = new FixtureTestRunner(fixture, run, context.Reaper, preflight.Sandbox, (label, result) => context.Ran($"tests:{label}", result));
        var baselineTests = tests.Run("baseline", context.Cancellation);
        context.Workspace = context.Workspace with { Baseline = baselineTests.Section };
        Verdicts.ValidateBaseline(fixture, baselineTests);
        return new PreparedWorkspace(baseline, tests, ProtectedFiles.Snapshot(run.Workspace, fixture.Manifest.ProtectedPaths));
    }
}
