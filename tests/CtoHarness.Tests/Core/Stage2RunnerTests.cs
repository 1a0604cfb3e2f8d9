using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fake;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>The runner end to end with the real fake provider, real git and real python3.</summary>
[Trait("Layer", "Process")]
public sealed class Stage2RunnerTests : IDisposable
{
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    private Stage2Result Run(string scenario, int timeoutSeconds = 120, string? fixture = null, string? outputCap = null, CancellationToken cancellation = default)
    {
        var result = Stage2Runner.Run(FakeLane.Request(_runs.Path, scenario, fixture, timeoutSeconds, outputCap), cancellation);
        Assert.Empty(RunProcesses.Surviving(result.Report));
        return result;
    }

    [Fact]
    public void The_fix_scenario_passes_with_full_evidence()
    {
        var result = Run(FakeScenario.Fix);

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Null(report.FailureReason);
        Assert.Equal(["strings.py"], report.Changes.Files);
        Assert.True(report.Changes.PatchBytes > 0);
        Assert.Equal(report.Changes.PatchSha256, Sha256.OfFile(Path.Combine(report.RunDirectory, report.Changes.PatchPath!)));
        Assert.All(report.Tests.Baseline!.Results.Where(r => r.Kind == "failToPass"), r => Assert.Equal("failed", r.Outcome));
        Assert.All(report.Tests.Baseline.Results.Where(r => r.Kind == "passToPass"), r => Assert.Equal("passed", r.Outcome));
        Assert.All(report.Tests.Final!.Results, r => Assert.Equal("passed", r.Outcome));
        Assert.True(report.Backend.CaseProcessStarted);
        Assert.Equal("completed", report.Backend.Outcome);
        Assert.Equal(Sha256.OfFile(TestPaths.FakeProviderAssembly), report.Provider.Sha256);
        Assert.Matches(@"^\d{8}T\d{6}Z-r1-string-slugify-[0-9a-f]{12}$", report.RunId);
    }

    [Fact]
    public void The_workspace_holds_only_the_fixture_sources_and_one_baseline_commit()
    {
        var result = Run(FakeScenario.Fix);

        var workspace = Path.Combine(result.Report.RunDirectory, "workspace");
        Assert.False(File.Exists(Path.Combine(workspace, "fixture.json")));
        Assert.False(File.Exists(Path.Combine(workspace, "solution.patch")));
        Assert.Equal("1", CtoHarness.Workspace.Git.Run(workspace, "rev-list", "--count", "HEAD").Trim());
        Assert.DoesNotContain(".case/", result.Report.Changes.Files.Select(f => f[..Math.Min(6, f.Length)]));
        var patch = File.ReadAllText(Path.Combine(result.Report.RunDirectory, result.Report.Changes.PatchPath!));
        Assert.DoesNotContain(".case", patch);
    }

    [Fact]
    public void The_evidence_manifest_lists_every_file_with_its_digest()
    {
        var result = Run(FakeScenario.Fix);

        var report = result.Report;
        var stdout = Assert.Single(report.Evidence, e => e.Path == "backend/provider.stdout.log");
        Assert.Equal(Sha256.OfFile(Path.Combine(report.RunDirectory, stdout.Path)), stdout.Sha256);
        Assert.DoesNotContain(report.Evidence, e => e.Path == "report.json");
        Assert.Contains(report.Evidence, e => e.Path == "backend/case-data/config.json");
    }

    [Fact]
    public void The_task_file_is_rewritten_by_the_provider_and_fresh_per_run()
    {
        var first = Run(FakeScenario.Fix);
        var second = Run(FakeScenario.Fix);

        Assert.True(first.Report.Status == RunStatus.Pass, $"{first.Report.FailureReason}: {first.Report.Message}");
        Assert.NotEqual(first.Report.RunDirectory, second.Report.RunDirectory);
        var task = Directory.GetFiles(Path.Combine(first.Report.RunDirectory, "backend", "tasks"), "*.task.json").Single();
        Assert.Contains("\"pr-opened\"", File.ReadAllText(task));
    }

    [Fact]
    public void Noop_fails_with_no_changes()
    {
        var report = ReportAssert.Ended(Run(FakeScenario.Noop), FailureKind.NoChanges);

        Assert.Empty(report.Changes.Files);
        Assert.Null(report.Tests.Final);
    }

    [Fact]
    public void A_crash_is_a_provider_failure_with_its_marker()
    {
        var result = Run(FakeScenario.Crash);

        var report = ReportAssert.Ended(result, FailureKind.ProviderFailed);
        Assert.Equal(137, report.Backend.ExitCode);
        Assert.Contains("signal 9", File.ReadAllText(result.EvidencePath));
    }

    [Fact]
    public void A_missing_agent_result_is_a_protocol_failure()
    {
        ReportAssert.Ended(Run(FakeScenario.NoAgentResult), FailureKind.AgentProtocol);
    }

    [Fact]
    public void A_pipeline_failed_at_the_reviewer_is_a_provider_failure_even_though_ca_exits_zero()
    {
        var report = ReportAssert.Ended(Run(FakeScenario.FailAtReviewer), FailureKind.ProviderFailed);

        Assert.Equal(0, report.Backend.ExitCode);
        Assert.Equal("reviewer", report.Backend.FailedAgent);
    }

    [Fact]
    public void A_workspace_whose_own_git_was_deleted_is_still_graded_against_the_harness_baseline()
    {
        var result = Run(FakeScenario.DeleteGit);

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Equal(["strings.py"], report.Changes.Files);
        Assert.False(Directory.Exists(Path.Combine(report.RunDirectory, "workspace", ".git")));
    }

    [Fact]
    public void Edited_tests_are_tampering_and_are_restored_before_grading()
    {
        var result = Run(FakeScenario.TamperTests);

        var report = ReportAssert.Ended(result, FailureKind.TestsTampered);
        Assert.Equal(["test_strings.py"], report.Changes.TamperedPaths);
        var restored = File.ReadAllText(Path.Combine(report.RunDirectory, "workspace", "test_strings.py"));
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.SlugifyFixture, "repo", "test_strings.py")), restored);
    }

    [Theory]
    [InlineData(FakeScenario.Hang, "(SIGTERM)")]
    [InlineData(FakeScenario.HangIgnoringTerm, "(SIGTERM, then SIGKILL)")]
    public void A_hung_provider_is_stopped_at_its_bound(string scenario, string howItWasKilled)
    {
        var result = Run(scenario, timeoutSeconds: 2);

        var report = ReportAssert.Ended(result, FailureKind.ProviderTimeout);
        Assert.True(report.Backend.TimedOut);
        var marker = File.ReadAllText(result.EvidencePath);
        Assert.Contains("timeoutSeconds: 2", marker);
        Assert.Contains(howItWasKilled, marker);
    }

    [Fact]
    public void A_hung_provider_with_a_detached_grandchild_holding_stdout_ends_on_time_with_no_survivors()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Run(FakeScenario.HangWithDetachedChild, timeoutSeconds: 2);

        var report = ReportAssert.Ended(result, FailureKind.ProviderTimeout);
        Assert.True(report.Backend.ProcessesReaped >= 1, "the detached grandchild was not reaped");
        Assert.Contains("sleep 3600", File.ReadAllText(result.EvidencePath));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed}");
    }

    [Fact]
    public void A_detached_child_holding_stdout_is_reaped_and_does_not_hang_the_run()
    {
        var result = Run(FakeScenario.DetachedChild);

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.True(report.Backend.ProcessesReaped >= 1);
    }

    [Fact]
    public void A_flood_is_capped_on_disk_but_still_classified()
    {
        var result = Run(FakeScenario.Flood, outputCap: "65536");

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.True(report.Backend.StdoutTruncated);
        Assert.True(report.Backend.StdoutBytes > 1024 * 1024);
        var log = new FileInfo(Path.Combine(report.RunDirectory, report.Backend.StdoutLog!));
        Assert.InRange(log.Length, 65536, 65536 + 512);
        Assert.Contains("output truncated", File.ReadAllText(log.FullName));
    }

    [Fact]
    public void A_missing_manifest_blocks_as_fixture_invalid_before_any_provider_starts()
    {
        using var fixture = new TempDirectory();

        var report = ReportAssert.Ended(Run(FakeScenario.Fix, fixture: fixture.Path), FailureKind.FixtureInvalid);

        Assert.False(report.Backend.CaseProcessStarted);
    }

    [Fact]
    public void A_fixture_whose_baseline_already_passes_is_invalid()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        File.Copy(Path.Combine(TestPaths.SlugifyFixture, "repo", "strings.py"), Path.Combine(fixture, "repo", "strings.py"), overwrite: true);
        CtoHarness.Workspace.Git.Run(Path.Combine(fixture, "repo"), "apply", "--directory=", Path.Combine(fixture, "solution.patch"));
        FixtureCopies.EditManifest(fixture, m => m.Remove("solutionPatch"));

        var result = Run(FakeScenario.Fix, fixture: fixture);

        var report = ReportAssert.Ended(result, FailureKind.FixtureInvalid);
        Assert.Contains("test_strings.SlugifyTests.test_strips_punctuation", File.ReadAllText(result.EvidencePath));
        Assert.False(report.Backend.CaseProcessStarted);
    }

    [Fact]
    public void A_missing_provider_binary_blocks_before_any_process()
    {
        var request = FakeLane.Request(_runs.Path);
        var variant = CtoHarness.Admission.LockVariants.Write(request.Launch.LockFile, _runs.Combine("variant.lock.json"),
            l => l.Binary.StorePath = _runs.Combine("missing.dll"));
        request = request with { Launch = request.Launch with { LockFile = variant } };

        var result = Stage2Runner.Run(request);

        var report = ReportAssert.Ended(result, FailureKind.ProviderUnavailable);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.False(Directory.Exists(Path.Combine(report.RunDirectory, "workspace")));
    }

    [Fact]
    public void A_verified_provider_the_system_cannot_start_blocks_as_unavailable()
    {
        var request = FakeLane.Request(_runs.Path);
        request = request with { Launch = request.Launch with { DotnetHost = _runs.Combine("no-such-dotnet") } };

        var result = Stage2Runner.Run(request);

        var report = ReportAssert.Ended(result, FailureKind.ProviderUnavailable);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.Equal("not-started", report.Backend.Outcome);
        Assert.Contains("could not be started", File.ReadAllText(result.EvidencePath));
    }

    [Fact]
    public void A_harness_fault_still_leaves_a_report()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        FixtureCopies.EditManifest(fixture, m => m["tests"]!["command"] = new System.Text.Json.Nodes.JsonArray("no-such-test-runner-ctoharness"));

        var result = Run(FakeScenario.Fix, fixture: fixture);

        var report = ReportAssert.Ended(result, FailureKind.HarnessError);
        Assert.Contains("no-such-test-runner-ctoharness", report.Message);
    }

    [Fact]
    public void Cancelling_stops_the_provider_and_reports_cancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var result = Run(FakeScenario.Hang, cancellation: cancellation.Token);

        ReportAssert.Ended(result, FailureKind.Cancelled);
    }

    [Fact]
    public void Concurrent_runs_of_one_fixture_get_their_own_directories()
    {
        var results = Enumerable.Range(0, 3).AsParallel().Select(_ => Run(FakeScenario.Noop)).ToList();

        Assert.Equal(3, results.Select(r => r.Report.RunDirectory).Distinct().Count());
        Assert.All(results, r => ReportAssert.Ended(r, FailureKind.NoChanges));
    }
}
