using CtoHarness.Build;
using CtoHarness.Tests.Infrastructure;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CtoHarness.Tests.Tasks;

[Trait("Layer", "Process")]
public sealed class CaseStage2TaskTests : IDisposable
{
    private readonly TempDirectory _runs = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _runs.Dispose();

    private CaseStage2 NewTask(string scenario = "fix", string timeout = "120", string lane = "fake") => new()
    {
        BuildEngine = _engine,
        Fixtures = [new TaskItem(TestPaths.SlugifyFixture)],
        Lane = lane,
        RunsDirectory = _runs.Path,
        TimeoutSeconds = timeout,
        FakeScenario = scenario,
        FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        HelpLinkBase = "https://example.invalid/errors.md",
    };

    [Fact]
    public void A_passing_run_logs_its_summary_and_returns_the_report()
    {
        var task = NewTask();

        Assert.True(task.Execute());

        Assert.Empty(_engine.Errors);
        var run = Assert.Single(task.Runs);
        Assert.Equal("pass", run.GetMetadata("Status"));
        ReportAssert.Valid(run.ItemSpec);
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High &&
            m.Message!.Contains("status=pass") && m.Message.Contains(run.GetMetadata("RunDirectory")));
    }

    [Fact]
    public void A_failing_run_is_a_coded_error_whose_file_is_the_evidence()
    {
        var task = NewTask("noop");

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        var run = Assert.Single(task.Runs);
        Assert.Equal("CTOH402", error.Code);
        Assert.Equal(run.ItemSpec, error.File);
        Assert.Equal(1, error.LineNumber);
        Assert.Contains(run.ItemSpec, error.Message);
        Assert.Equal("https://example.invalid/errors.md#ctoh402", error.HelpLink);
    }

    [Fact]
    public void A_provider_failure_points_at_its_marker()
    {
        var task = NewTask("crash");

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("CTOH303", error.Code);
        Assert.EndsWith(Path.Combine("backend", "provider-failed.txt"), error.File);
        Assert.True(File.Exists(error.File));
    }

    [Theory]
    [InlineData("abc", "CTOH001")]
    [InlineData("0", "CTOH001")]
    [InlineData("86401", "CTOH001")]
    [InlineData("-5", "CTOH001")]
    public void A_bad_timeout_stops_the_build_before_any_run(string timeout, string code)
    {
        var task = NewTask(timeout: timeout);

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains("CtoHarnessCaseTimeoutSeconds", error.Message);
        Assert.Contains("CTO_HARNESS_CASE_TIMEOUT_SECONDS", error.Message);
        Assert.Equal("/consumer/Consumer.csproj", error.File);
        Assert.Empty(task.Runs);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs.Path));
    }

    [Fact]
    public void An_unknown_lane_and_an_unknown_scenario_say_what_is_accepted()
    {
        var lane = NewTask(lane: "bogus");
        Assert.False(lane.Execute());
        Assert.Contains(_engine.Errors, e => e.Code == "CTOH002" && e.Message!.Contains("fake, case"));

        var scenario = NewTask(scenario: "explode");
        Assert.False(scenario.Execute());
        Assert.Contains(_engine.Errors, e => e.Code == "CTOH003" && e.Message!.Contains("detached-child"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs.Path));
    }

    [Fact]
    public void The_case_lane_without_a_binary_blocks_as_provider_unavailable()
    {
        var task = NewTask(lane: "case");

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("CTOH101", error.Code);
        Assert.EndsWith(Path.Combine("backend", "provider-unavailable.txt"), error.File);
        var report = ReportAssert.Valid(Assert.Single(task.Runs).ItemSpec);
        Assert.False(report.Backend.CaseProcessStarted);
    }

    [Fact]
    public void The_case_lane_never_runs_an_unverified_binary()
    {
        using var source = new CaseSource();
        source.Build();
        source.Admit();
        var other = Path.Combine(source.Temp, "other-ca");
        source.WriteScript(other, "other");
        var task = NewTask(lane: "case");
        task.CaseBin = other;
        task.CaseLockFile = source.LockFile;

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("CTOH102", error.Code);
        Assert.EndsWith(Path.Combine("backend", "provider-unverified.txt"), error.File);
        Assert.False(File.Exists(source.RecordPath) || File.Exists(CaseSource.RecordPathOf(Path.GetDirectoryName(Path.GetDirectoryName(error.File)!)!)));
    }

    [Fact]
    public void An_explicit_lock_path_that_does_not_exist_is_a_configuration_error()
    {
        var task = NewTask(lane: "case");
        task.CaseLockFile = _runs.Combine("nowhere", "case-provider.lock.json");
        task.CaseLockFileIsExplicit = true;

        Assert.False(task.Execute());

        Assert.Equal("CTOH006", Assert.Single(_engine.Errors).Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs.Path));
    }

    [Fact]
    public async System.Threading.Tasks.Task Cancelling_the_task_stops_the_provider_and_reports_cancelled()
    {
        var task = NewTask("hang");
        var execution = System.Threading.Tasks.Task.Run(task.Execute);
        SpinWait.SpinUntil(() => Directory.EnumerateFiles(_runs.Path, "provider.stdout.log", SearchOption.AllDirectories).Any(), TimeSpan.FromSeconds(60));

        task.Cancel();

        var executed = await execution.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(executed);
        Assert.Equal("CTOH502", Assert.Single(_engine.Errors).Code);
        var report = ReportAssert.Valid(Assert.Single(task.Runs).ItemSpec);
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void A_runs_directory_that_cannot_be_created_is_a_coded_error_not_a_crash()
    {
        var blocker = _runs.Combine("a-file");
        File.WriteAllText(blocker, "not a directory");
        var task = NewTask();
        task.RunsDirectory = Path.Combine(blocker, "runs");

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("CTOH501", error.Code);
        Assert.Contains("CtoHarnessRunsDir", error.Message);
    }
}
