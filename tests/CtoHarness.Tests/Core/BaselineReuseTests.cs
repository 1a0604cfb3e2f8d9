using System.Text.Json;
using CtoHarness.Baselines;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Grading;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>
/// Recorded baselines (docs/design.md "Reused baselines"): a run records its baseline test run, a later run with the
/// same inputs reuses it with its evidence, and a record that no longer matches its manifest, or one made with other
/// inputs, is never used.
/// </summary>
[Trait("Layer", "Process")]
public sealed class BaselineReuseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Records => _temp.Combine("baselines");

    private Stage2Report Run(string? fixture = null)
    {
        var request = FakeLane.Request(_temp.Combine("runs"), fixture: fixture) with { BaselineRecordsDirectory = Records };
        var result = Stage2Runner.Run(request);
        Assert.Empty(RunProcesses.Surviving(result.Report));
        return ReportAssert.Valid(result.ReportPath);
    }

    [Fact]
    public void A_second_run_with_the_same_inputs_reuses_the_recorded_baseline_with_its_evidence()
    {
        var first = Run();
        var second = Run();

        Assert.True(first.Status == RunStatus.Pass && second.Status == RunStatus.Pass, $"{first.Message} / {second.Message}");
        var record = Assert.Single(Directory.GetDirectories(Records));
        Assert.Equal($"recorded {record}", first.Tests.BaselineRecord);
        Assert.Null(first.Tests.Baseline!.Reused);
        Assert.Equal($"reused {record}", second.Tests.BaselineRecord);
        Assert.Equal(first.RunId, second.Tests.Baseline!.Reused!.RunId);
        Assert.Equal(record, second.Tests.Baseline.Reused.Record);
        Assert.Equal(JsonSerializer.Serialize(first.Tests.Baseline.Results), JsonSerializer.Serialize(second.Tests.Baseline.Results));
        // The evidence is whole in the run that reused it: the baseline's logs, in its manifest; no baseline program ran.
        var log = Path.Combine(second.RunDirectory, second.Tests.Baseline.StdoutLog);
        Assert.Equal(File.ReadAllText(Path.Combine(first.RunDirectory, first.Tests.Baseline.StdoutLog)), File.ReadAllText(log));
        Assert.Contains(second.Evidence, file => file.Path == second.Tests.Baseline.StdoutLog && file.Sha256 == Sha256.OfFile(log));
        Assert.DoesNotContain(second.Sandbox?.Programs ?? [], program => program.Program == "tests:baseline");
        Assert.All(second.Tests.Final!.Results, result => Assert.Equal(TestOutcome.Passed, result.Outcome));
        Assert.Contains($"Baseline: not run again; the record of run <code>{first.RunId}</code>", File.ReadAllText(Path.Combine(second.RunDirectory, "report.html")));
        // Sealed: nothing in it can be written, not even by the harness's own user without changing its modes first.
        Assert.All(Directory.EnumerateFileSystemEntries(record, "*", SearchOption.AllDirectories),
            entry => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(entry) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)));
    }

    [Fact]
    public void A_record_changed_after_it_was_sealed_is_not_used_and_the_run_runs_its_own_baseline()
    {
        Run();
        var record = Assert.Single(Directory.GetDirectories(Records));
        // A forged record: every fail-to-pass test "passed" at baseline (the fixture would look invalid, or a later
        // reader could be told anything). The manifest still has the digest of what the harness wrote.
        var files = Path.Combine(record, "files");
        var recordFile = Path.Combine(files, BaselineStore.RecordFileName);
        File.SetUnixFileMode(files, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(recordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(recordFile, File.ReadAllText(recordFile).Replace("\"failed\"", "\"passed\"", StringComparison.Ordinal));

        var second = Run();

        Assert.Equal(RunStatus.Pass, second.Status);
        Assert.Contains("does not match its manifest", second.Tests.BaselineRecord);
        Assert.Null(second.Tests.Baseline!.Reused);
        Assert.Contains(second.Sandbox?.Programs ?? [], program => program.Program == "tests:baseline");
    }

    [Fact]
    public void A_fixture_with_other_sources_does_not_reuse_the_record_of_the_original()
    {
        Run();
        var changed = FixtureCopies.Copy(_temp.Path);
        File.WriteAllText(Path.Combine(changed, "repo", "NOTES.md"), "one more file in the sources\n");

        var report = Run(changed);

        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Equal("recorded", report.Tests.BaselineRecord!.Split(' ')[0]);
        Assert.Equal(2, Directory.GetDirectories(Records).Length);
    }

    [Fact]
    public void The_key_changes_with_every_input_it_covers()
    {
        var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")!, ["LANG"] = "C.UTF-8" };
        var key = BaselineStore.KeyOf("digest", ["python3", "-m", "unittest"], environment, "sandbox");

        Assert.Equal(key, BaselineStore.KeyOf("digest", ["python3", "-m", "unittest"], new Dictionary<string, string>(environment), "sandbox"));
        Assert.NotEqual(key, BaselineStore.KeyOf("other digest", ["python3", "-m", "unittest"], environment, "sandbox"));
        Assert.NotEqual(key, BaselineStore.KeyOf("digest", ["python3", "-m", "pytest"], environment, "sandbox"));
        Assert.NotEqual(key, BaselineStore.KeyOf("digest", ["python3", "-m", "unittest"], new Dictionary<string, string>(environment) { ["LANG"] = "C" }, "sandbox"));
        Assert.NotEqual(key, BaselineStore.KeyOf("digest", ["python3", "-m", "unittest"], environment, "none"));
        Assert.NotEqual(key, BaselineStore.KeyOf("digest", ["python3", "-m", "unittest"], environment, "sandbox, at /tmp/ctoharness-run"));
        // The program as PATH finds it: for dotnet, the SDKs and runtimes installed beside it too.
        var dotnet = Toolchain.Describe("dotnet", environment["PATH"]);
        Assert.Matches(@"(?m)^file /\S+ \d+ \d+$", dotnet);
        Assert.Matches(@"(?m)^sdk \d+\.\d+\.\d+", dotnet);
        Assert.Contains("not found", Toolchain.Describe("no-such-program-here", environment["PATH"]));
    }

    [Fact]
    public void Reuse_is_on_by_default_off_with_false_and_anything_else_is_CTOH032()
    {
        Stage2Settings Settings(string? reuse) => new() { Fixtures = [TestPaths.SlugifyFixture], Lane = "fake", FakeProviderAssembly = TestPaths.FakeProviderAssembly, ReuseBaseline = reuse };

        Assert.Equal(Path.Combine(HarnessDirectories.State(), "baselines"), Assert.Single(Stage2Planner.Plan(Settings(null)).Requests).BaselineRecordsDirectory);
        Assert.Null(Assert.Single(Stage2Planner.Plan(Settings("false")).Requests).BaselineRecordsDirectory);
        var error = Assert.Single(Stage2Planner.Plan(Settings("sometimes")).Errors);
        Assert.Equal(Diagnostics.ReuseBaselineInvalid.Code, error.Code);
        Assert.Contains("CtoHarnessReuseBaseline 'sometimes'", error.Message);
    }
}
