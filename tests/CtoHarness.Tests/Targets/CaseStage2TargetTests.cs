using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

/// <summary>The source props/targets evaluated and built in-process by the SDK's MSBuild.</summary>
[Trait("Layer", "Process")]
public sealed class CaseStage2TargetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string> Properties(string scenario) => new()
    {
        ["CtoHarnessRunsDir"] = _temp.Combine("runs"),
        ["CtoHarnessFakeScenario"] = scenario,
    };

    [Fact]
    public void CaseStage2_runs_the_built_in_fixture_on_the_fake_lane_by_default()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var outcome = InProcessBuild.Build(project, "CaseStage2", Properties("fix"));

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        var report = ReportAssert.Valid(Assert.Single(outcome.RunReports));
        Assert.Equal("r1-string-slugify", report.Fixture.Id);
        Assert.Equal("fake", report.Lane);
        Assert.Contains(outcome.Messages, m => m.StartsWith("CtoHarness Stage 2: fixture=r1-string-slugify lane=fake status=pass"));
    }

    [Fact]
    public void A_failing_scenario_fails_the_build_with_the_code()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var outcome = InProcessBuild.Build(project, "CaseStage2", Properties("no-agent-result"));

        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("CTOH302", error.Code);
        Assert.True(File.Exists(error.File));
    }

    [Fact]
    public void Fixtures_named_by_the_project_replace_the_built_in_one()
    {
        var fixture = FixtureCopies.Copy(_temp.Combine("mine"));
        FixtureCopies.EditManifest(fixture, m => m["id"] = "my-slugify");
        var project = InProcessBuild.WriteConsumer(_temp.Path, $"""<ItemGroup><CtoHarnessFixture Include="{fixture}" /></ItemGroup>""");

        var outcome = InProcessBuild.Build(project, "CaseStage2", Properties("fix"));

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        Assert.Equal("my-slugify", ReportAssert.Valid(Assert.Single(outcome.RunReports)).Fixture.Id);
    }

    [Fact]
    public void A_fixture_named_as_a_property_on_the_command_line_is_run()
    {
        var fixture = FixtureCopies.Copy(_temp.Combine("from-property"));
        FixtureCopies.EditManifest(fixture, m => m["id"] = "from-property");
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("fix");
        properties["CtoHarnessFixture"] = fixture;

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        Assert.Equal("from-property", ReportAssert.Valid(Assert.Single(outcome.RunReports)).Fixture.Id);
    }

    [Fact]
    public void A_bad_timeout_property_is_a_configuration_error()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("fix");
        properties["CtoHarnessCaseTimeoutSeconds"] = "ten";

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.False(outcome.Succeeded);
        Assert.Equal("CTOH001", Assert.Single(outcome.Errors).Code);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
    }

    [Fact]
    public void Under_dotnet_framework_msbuild_the_targets_stop_with_a_coded_error_before_loading_tasks()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("fix");
        properties["_CtoHarnessMSBuildRuntimeType"] = "Full";
        properties["CtoHarnessTasksAssembly"] = _temp.Combine("no-such-tasks.dll");

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("CTOH014", error.Code);
        Assert.Contains("dotnet build", error.Message);
    }

    [Fact]
    public void CI_outputs_are_written_when_asked_for()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("fix");
        properties["CtoHarnessJUnitFile"] = _temp.Combine("ci", "stage2.junit.xml");
        properties["CtoHarnessStepSummaryFile"] = _temp.Combine("ci", "summary.md");
        Directory.CreateDirectory(_temp.Combine("ci"));

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        Assert.True(File.Exists(_temp.Combine("ci", "stage2.junit.xml")));
        Assert.Contains("| r1-string-slugify | fake |", File.ReadAllText(_temp.Combine("ci", "summary.md")));
    }

    [Fact]
    public void Every_failing_pair_is_listed_and_the_summary_counts_them()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("noop");
        properties["CtoHarnessBuiltInFixtures"] = "r1-string-slugify;r2-interval-merge";
        properties["CtoHarnessMaxParallel"] = "2";
        properties["CtoHarnessSummaryFile"] = _temp.Combine("summary.json");

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.False(outcome.Succeeded);
        Assert.Equal(2, outcome.Errors.Count(e => e.Code == "CTOH402"));
        SchemaAssert.ValidSummary(_temp.Combine("summary.json"));
        var summary = System.Text.Json.JsonSerializer.Deserialize<CtoHarness.Contracts.RunSummary>(File.ReadAllText(_temp.Combine("summary.json")), CtoHarness.Evidence.JsonFiles.Options)!;
        Assert.Equal(2, summary.Totals.Failed);
        Assert.Equal(["r1-string-slugify", "r2-interval-merge"], summary.Runs.Select(r => r.Fixture).Order());
    }

    [Fact]
    public void CaseStage2Verify_rechecks_a_run_directory_and_names_an_edited_file()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var run = InProcessBuild.Build(project, "CaseStage2", Properties("fix"));
        var runDirectory = Path.GetDirectoryName(Assert.Single(run.RunReports))!;
        var verify = Properties("fix");
        verify["CtoHarnessRunDirectory"] = runDirectory;

        var intact = InProcessBuild.Build(project, "CaseStage2Verify", verify);
        var edited = Path.Combine(runDirectory, "changes", "changes.patch");
        File.AppendAllText(edited, "+forged line\n");
        var tampered = InProcessBuild.Build(project, "CaseStage2Verify", verify);

        Assert.True(intact.Succeeded, string.Join("\n", intact.Errors.Select(e => e.Message)));
        Assert.False(tampered.Succeeded);
        var error = Assert.Single(tampered.Errors);
        Assert.Equal("CTOH405", error.Code);
        Assert.Equal(edited, error.File);
    }
}
