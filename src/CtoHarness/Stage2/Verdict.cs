using CtoHarness.Contracts;
using CtoHarness.Fixtures;
using CtoHarness.Grading;
using CtoHarness.Workspace;

namespace CtoHarness.Stage2;

/// <summary>The grading rules: what makes a fixture valid, and what makes a change a pass (docs/fixtures.md).</summary>
internal static class Verdict
{
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
        var passingFailToPass = baseline.Passing(fixture.Manifest.FailToPass);
        var failingPassToPass = baseline.NotPassing(fixture.Manifest.PassToPass);
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
        if (passingFailToPass.Count > 0)
        {
            problems.Add($"fail-to-pass tests already pass before any change: {string.Join(", ", passingFailToPass)}");
        }
        if (failingPassToPass.Except(missing).ToList() is { Count: > 0 } broken)
        {
            problems.Add($"pass-to-pass tests fail before any change: {string.Join(", ", broken)}");
        }
        if (problems.Count > 0)
        {
            throw new FixtureInvalidException($"fixture '{fixture.Id}' baseline is not as declared: {string.Join("; ", problems)}");
        }
    }

    /// <summary>Protected files changed (restored before grading) fail as tampering; an empty change fails as no change.</summary>
    public static void JudgeChange(CollectedChanges changes, ProtectedFiles protectedFiles, BaselineRepository baseline, Stage2Report report)
    {
        var tampered = protectedFiles.Changed();
        report.Changes.TamperedPaths = [.. tampered];
        protectedFiles.Restore(baseline, tampered);
        if (tampered.Count > 0)
        {
            throw new Stage2Stop(FailureKind.TestsTampered, $"the provider changed protected files: {string.Join(", ", tampered)} (restored before grading)");
        }
        if (changes.Files.Count == 0)
        {
            throw new Stage2Stop(FailureKind.NoChanges, "the provider completed but left no change in the workspace");
        }
        var reaching = FrameworkTampering.Find(changes.PatchPath, protectedFiles.IsTest);
        if (reaching.Count > 0)
        {
            report.Changes.TamperedPaths = [.. reaching];
            throw new Stage2Stop(FailureKind.TestsTampered,
                $"the change reaches into how the tests are run and judged, outside the tests: {string.Join("; ", reaching.Take(5))}");
        }
    }

    /// <summary>The observer found the test framework's result methods rebound while the tests ran: nothing it recorded can be believed.</summary>
    private static void FailOnTampering(TestRun run, string label)
    {
        if (run.Section.FrameworkTampering.Count > 0)
        {
            throw new Stage2Stop(FailureKind.TestsTampered,
                $"the test framework was rebound during the {label} test run: {string.Join("; ", run.Section.FrameworkTampering)}");
        }
    }

    /// <summary>Evidence that contradicts itself is never graded: the run fails as tests failed, saying which evidence disagreed.</summary>
    private static void FailOnDisagreement(TestRun run, string label)
    {
        if (run.Disagreements.Count > 0)
        {
            throw new Stage2Stop(FailureKind.TestsFailed,
                $"the {label} test run's evidence disagrees, so it is not graded as a pass: {string.Join("; ", run.Disagreements)}");
        }
    }

    /// <summary>The final test run (repeated when asked; repeats must agree): every fail-to-pass and pass-to-pass test passes.</summary>
    public static void JudgeFinalTests(Fixture fixture, FixtureTestRunner tests, int repeats, Stage2Report report, CancellationToken cancellation)
    {
        report.Tests.HiddenFiles = [.. tests.InstallHiddenTests()];
        var final = tests.Run("final", cancellation, final: true);
        report.Tests.Final = final.Section;
        FailOnTampering(final, "final");
        FailOnDisagreement(final, "final");
        for (var repeat = 2; repeat <= repeats; repeat++)
        {
            var again = tests.Run($"final-repeat-{repeat}", cancellation, final: true);
            report.Tests.FinalRepeats.Add(again.Section);
            FailOnTampering(again, $"final-repeat-{repeat}");
            FailOnDisagreement(again, $"final-repeat-{repeat}");
            var disagreeing = fixture.FinalTestIds.Where(id => final.Outcome(id) != again.Outcome(id)).ToList();
            if (disagreeing.Count > 0)
            {
                throw new Stage2Stop(FailureKind.TestsFailed, "the tests are flaky: repeats of the final test run disagree on " +
                    string.Join(", ", disagreeing.Select(id => $"{id} ({final.Outcome(id)} in run 1, {again.Outcome(id)} in run {repeat})")));
            }
        }
        var stillFailing = final.NotPassing(fixture.FinalFailToPass);
        var regressed = final.NotPassing(fixture.FinalPassToPass);
        if (stillFailing.Count > 0 || regressed.Count > 0)
        {
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
            throw new Stage2Stop(FailureKind.TestsFailed, string.Join("; ", parts));
        }
    }
}
