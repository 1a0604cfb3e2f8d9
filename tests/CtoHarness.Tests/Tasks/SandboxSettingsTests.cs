using CtoHarness.Build;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Settings;
using CtoHarness.Tests.Infrastructure;
using Microsoft.Build.Utilities;

namespace CtoHarness.Tests.Tasks;

/// <summary>
/// Where no sandbox can be had: a lane that runs code the harness did not write is blocked before any program starts,
/// the fake lane runs and says so everywhere a reader looks; and the sandbox's settings are validated before any run.
/// </summary>
[Trait("Layer", "Process")]
public sealed class SandboxSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    private CaseStage2 NewTask(string lane = "fake", string? sandboxTool = null, string? require = null) => new()
    {
        BuildEngine = _engine,
        Fixtures = [new TaskItem(TestPaths.SlugifyFixture)],
        Lane = lane,
        RunsDirectory = _temp.Combine("runs"),
        TimeoutSeconds = "120",
        FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        SandboxTool = sandboxTool,
        RequireSandbox = require,
        StepSummaryFile = _temp.Combine("summary.md"),
    };

    [Fact]
    public void The_fake_lane_without_a_sandbox_passes_and_warns_in_the_log_report_page_and_step_summary()
    {
        var task = NewTask(sandboxTool: Path.Combine(_temp.Path, "no-bwrap-here"));

        Assert.True(task.Execute());

        var warning = Assert.Single(_engine.Warnings, w => w.Code == "CTOH104");
        var report = ReportAssert.Valid(Assert.Single(task.Runs).ItemSpec);
        Assert.Equal(warning.File, Assert.Single(task.Runs).ItemSpec);
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Equal("none", report.Sandbox.Kind);
        Assert.False(report.Sandbox.Required);
        Assert.Contains("no-bwrap-here", report.Sandbox.Warning);
        Assert.Empty(report.Sandbox.Programs);
        Assert.Contains("Warning: sandbox: none", File.ReadAllText(Path.Combine(report.RunDirectory, "report.html")));
        Assert.Contains("sandbox: none", File.ReadAllText(_temp.Combine("summary.md")));
    }

    [Fact]
    public void The_fake_lane_can_require_a_sandbox_and_is_then_blocked_without_one()
    {
        var task = NewTask(sandboxTool: "none", require: "true");

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("CTOH103", error.Code);
        Assert.EndsWith("sandbox-unavailable.txt", error.File);
        var report = ReportAssert.Valid(Path.Combine(Path.GetDirectoryName(error.File)!, "report.json"));
        Assert.Equal("sandbox unavailable", report.FailureReason);
        Assert.True(report.Sandbox.Required);
        Assert.Null(report.Tests.Baseline);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.Contains("CtoHarnessSandboxTool=none", File.ReadAllText(error.File));
    }

    [Fact]
    public void A_case_lane_requires_a_sandbox_by_default()
    {
        var (requests, errors) = Stage2Planner.Plan(Settings(lane: "case-scripted"));

        Assert.Empty(errors);
        Assert.True(Assert.Single(requests).RequireSandbox);
        Assert.False(Assert.Single(Stage2Planner.Plan(Settings()).Requests).RequireSandbox);
        Assert.False(Assert.Single(Stage2Planner.Plan(Settings(lane: "case-scripted", require: "false")).Requests).RequireSandbox);
    }

    [Theory]
    [InlineData("yes", null, null, "CtoHarnessRequireSandbox 'yes'")]
    [InlineData(null, "processes=0", null, "CtoHarnessSandboxLimits 'processes=0'")]
    [InlineData(null, "cpus=2", null, "names no limit")]
    [InlineData(null, "memoryMB", null, "is not name=whole number")]
    [InlineData(null, null, "relative/tool", "is not an absolute path")]
    public void Sandbox_settings_are_checked_before_any_run(string? require, string? limits, string? readOnly, string message)
    {
        var (requests, errors) = Stage2Planner.Plan(Settings(require: require, limits: limits, readOnly: readOnly));

        Assert.Empty(requests);
        var error = Assert.Single(errors);
        Assert.Equal("CTOH026", error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Limits_named_in_the_setting_replace_only_their_defaults()
    {
        var request = Assert.Single(Stage2Planner.Plan(Settings(limits: "processes=64; diskMB=10")).Requests);

        Assert.Equal(64, request.SandboxLimits.Processes);
        Assert.Equal(10L << 20, request.SandboxLimits.DiskBytes);
        Assert.Equal(CtoHarness.Sandbox.SandboxLimits.Default.MemoryBytes, request.SandboxLimits.MemoryBytes);
        Assert.Equal(CtoHarness.Sandbox.SandboxLimits.Default.FileBytes, request.SandboxLimits.FileBytes);
    }

    private Stage2Settings Settings(string lane = "fake", string? require = null, string? limits = null, string? readOnly = null) => new()
    {
        Fixtures = [TestPaths.SlugifyFixture],
        Lane = lane,
        RunsDirectory = _temp.Combine("runs"),
        FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        RequireSandbox = require,
        SandboxLimits = limits,
        SandboxReadOnly = readOnly,
        CaseLockFile = _temp.Combine("case-provider.lock.json"),
    };
}
