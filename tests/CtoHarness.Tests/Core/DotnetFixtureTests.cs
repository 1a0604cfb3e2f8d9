using CtoHarness.Contracts;
using CtoHarness.Grading;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>
/// The C# fixture r3-dotnet-money: xUnit with a theory, graded from TRX, restored and built inside the run
/// (its own package folder, no build server, no reused node), unaffected by MSBuild or SDK files above it.
/// </summary>
[Trait("Layer", "RealCa")]
public sealed class DotnetFixtureTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<string> DotnetSurvivors(Stage2Report report) =>
        RunProcesses.Surviving(report).Where(p => p.Contains("dotnet", StringComparison.Ordinal) || p.Contains("testhost", StringComparison.Ordinal)).ToList();

    [Fact]
    public void The_fake_lane_passes_it_under_a_hostile_directory_build_props_and_global_json()
    {
        // Files above the runs directory that would break any build that looked up to them.
        var above = _temp.Combine("above");
        Directory.CreateDirectory(above);
        File.WriteAllText(Path.Combine(above, "Directory.Build.props"), "<Project><Target Name=\"Leak\" BeforeTargets=\"Build\"><Error Text=\"Directory.Build.props above the runs leaked into the fixture\" /></Target></Project>");
        File.WriteAllText(Path.Combine(above, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(above, "global.json"), "{\"sdk\":{\"version\":\"1.0.0\",\"rollForward\":\"disable\"}}");

        var result = Stage2Runner.Run(FakeLane.Request(Path.Combine(above, "runs"), fixture: TestPaths.MoneyFixture, timeoutSeconds: 300));

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.Contains(report.Tests.Baseline!.Results, r => r.Id == "Money.Tests.AmountsTests.Half_cents_round_away_from_zero(amount: \"2.345\", expected: \"2.35\")" && r.Outcome == TestOutcome.Failed);
        Assert.All(report.Tests.Final!.Results, r => Assert.Equal(TestOutcome.Passed, r.Outcome));
        Assert.Equal(["Money/Amounts.cs"], report.Changes.Files);
        Assert.False(Directory.Exists(Path.Combine(report.RunDirectory, "cache")) || Directory.Exists(Path.Combine(report.RunDirectory, "test-cache")), "the run's package folders were not removed");
        Assert.Empty(DotnetSurvivors(report));
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void The_first_run_keeps_the_restored_packages_the_next_records_its_baseline_and_the_third_reuses_it()
    {
        var cache = _temp.Combine("package-cache");
        Stage2Request Request() => FakeLane.Request(_temp.Combine("runs"), fixture: TestPaths.MoneyFixture, timeoutSeconds: 300)
            with { PackageCacheDirectory = cache, BaselineRecordsDirectory = _temp.Combine("baselines") };

        var first = ReportAssert.Valid(Stage2Runner.Run(Request()).ReportPath);
        var second = ReportAssert.Valid(Stage2Runner.Run(Request()).ReportPath);
        var third = ReportAssert.Valid(Stage2Runner.Run(Request()).ReportPath);

        Assert.True(new[] { first, second, third }.All(r => r.Status == RunStatus.Pass), $"{first.Message} / {second.Message} / {third.Message}");
        var kept = Assert.Single(Directory.GetDirectories(cache));
        Assert.Equal($"kept {kept}", first.Tests.PackageCache);
        Assert.Equal($"used {Path.Combine(kept, "packages")}", second.Tests.PackageCache);
        Assert.Contains("xunit", Directory.GetDirectories(Path.Combine(kept, "packages")).Select(Path.GetFileName));
        Assert.All(Directory.EnumerateFiles(kept, "*", SearchOption.AllDirectories),
            file => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(file) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)));
        // The first run's build outputs name its own package folder: only a run restoring from the cache records the baseline.
        Assert.StartsWith("not recorded", first.Tests.BaselineRecord);
        Assert.StartsWith("recorded", second.Tests.BaselineRecord);
        // The third did not build and test the unchanged sources again, and its provider found the workspace as the
        // second's did: with the baseline's build outputs (set aside again before the final run, like any).
        Assert.Equal(second.RunId, third.Tests.Baseline!.Reused?.RunId);
        Assert.NotEmpty(second.Changes.SetAside);
        Assert.Equal(second.Changes.SetAside, third.Changes.SetAside);
        Assert.All(third.Tests.Final!.Results, r => Assert.Equal(TestOutcome.Passed, r.Outcome));
        if (third.Sandbox?.Kind == "bubblewrap")
        {
            // In the sandbox the tests see their folders at the same paths in every run, so the recorded build outputs
            // hold: the final run's restore had nothing to do.
            Assert.Contains("All projects are up-to-date for restore", File.ReadAllText(Path.Combine(third.RunDirectory, third.Tests.Final.StdoutLog)));
        }
        Assert.Empty(DotnetSurvivors(third));
    }

    [Fact]
    public void A_change_that_breaks_the_build_fails_as_tests_failed_quoting_the_compiler()
    {
        var fixture = FixtureCopies.WithSolution(_temp.Path, scratch =>
            File.AppendAllText(Path.Combine(scratch, "Money", "Amounts.cs"), "\npublic static class Broken { public static int X() => undefinedName; }\n"), TestPaths.MoneyFixture);

        var result = Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), fixture: fixture, timeoutSeconds: 300));

        var report = ReportAssert.Ended(result, FailureKind.TestsFailed);
        Assert.Contains("the tests could not be built", report.Message);
        Assert.Contains("error CS0103", report.Message);
        Assert.Contains(report.Tests.Final!.BuildErrors, e => e.Contains("undefinedName"));
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void A_change_to_a_test_file_is_tampering()
    {
        var fixture = FixtureCopies.WithSolution(_temp.Path, scratch =>
        {
            var tests = Path.Combine(scratch, "Money.Tests", "AmountsTests.cs");
            File.WriteAllText(tests, File.ReadAllText(tests).Replace("\"2.35\"", "\"2.34\""));
        }, TestPaths.MoneyFixture);

        var report = ReportAssert.Ended(Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), fixture: fixture, timeoutSeconds: 300)), FailureKind.TestsTampered);

        Assert.Contains("Money.Tests/AmountsTests.cs", report.Changes.TamperedPaths);
    }

    [Fact]
    public void The_real_ca_passes_it_against_the_scripted_model()
    {
        var result = Stage2Runner.Run(RealCa.Scripted(_temp.Combine("runs"), fixture: TestPaths.MoneyFixture, timeoutSeconds: 300));

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.Equal(["Money/Amounts.cs"], report.Changes.Files);
        Assert.Empty(DotnetSurvivors(report));
    }

    [Fact]
    public void Trx_results_name_theory_cases_and_a_missing_file_quotes_the_compiler()
    {
        var trx = _temp.Combine("results.trx");
        File.WriteAllText(trx, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testName="N.C.T(x: &quot;1&quot;)" outcome="Failed" />
                <UnitTestResult testName="N.C.U" outcome="Passed" />
                <UnitTestResult testName="N.C.V" outcome="NotExecuted" />
              </Results>
              <ResultSummary outcome="Failed" />
            </TestRun>
            """);

        var parsed = TrxResultParser.Parse(trx, "");
        var missing = TrxResultParser.Parse(_temp.Combine("none.trx"), "x.cs(3,5): error CS1002: ; expected [x.csproj]\nbuild failed");

        Assert.Equal([("N.C.T(x: \"1\")", TestOutcome.Failed), ("N.C.U", TestOutcome.Passed), ("N.C.V", TestOutcome.Skipped)], parsed.Results.Select(r => (r.Id, r.Outcome)));
        Assert.False(parsed.SummarySaysPassed);
        Assert.Empty(missing.Results);
        Assert.Equal(["x.cs(3,5): error CS1002: ; expected [x.csproj]"], missing.BuildErrors);
    }
}
