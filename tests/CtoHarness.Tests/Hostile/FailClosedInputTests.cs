using System.Diagnostics;
using System.Text.Json.Nodes;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Lanes;
using CtoHarness.Processes;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Hostile;

/// <summary>Hostile fixtures, locks, evidence and machines: each fails closed with a code and a report, and stops nothing else.</summary>
[Trait("Layer", "Process")]
public sealed class FailClosedInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_null_in_one_fixture_is_a_fixture_invalid_run_and_the_others_still_run()
    {
        var broken = FixtureCopies.Copy(_temp.Combine("broken"));
        FixtureCopies.EditManifest(broken, manifest => manifest["failToPass"] = null);
        var good = FakeLane.Request(_temp.Combine("runs"));

        var batch = Stage2Batch.Run([good with { FixtureDirectory = broken }, good], new BatchOptions { MaxParallel = 2 });

        var invalid = ReportAssert.Ended(batch.Results[0], FailureKind.FixtureInvalid);
        Assert.Contains("$.failToPass is null", invalid.Message);
        Assert.Equal(RunStatus.Pass, ReportAssert.Valid(batch.Results[1].ReportPath).Status);
        Assert.Equal(1, batch.Summary.Totals.Passed);
        Assert.Equal(1, batch.Summary.Totals.Blocked);
    }

    [Theory]
    [InlineData("null element", """{"failToPass": ["test_strings.SlugifyTests.test_strips_punctuation", null]}""", "$.failToPass[1] is null")]
    [InlineData("wrong type", """{"failToPass": "test_strings.SlugifyTests.test_strips_punctuation"}""", "could not be converted")]
    [InlineData("null object", """{"tests": null}""", "$.tests is null")]
    public void Nulls_and_wrong_types_in_a_manifest_are_named(string what, string patch, string expected)
    {
        var fixture = FixtureCopies.Copy(_temp.Combine(what.Replace(' ', '-')));
        FixtureCopies.EditManifest(fixture, manifest =>
        {
            foreach (var (name, value) in JsonNode.Parse(patch)!.AsObject())
            {
                manifest[name] = value?.DeepClone();
            }
        });

        var result = Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), fixture: fixture));

        Assert.Contains(expected, ReportAssert.Ended(result, FailureKind.FixtureInvalid).Message);
    }

    [Fact]
    public void Fixture_sources_that_are_a_symbolic_link_are_refused_and_nothing_outside_is_copied()
    {
        var fixture = FixtureCopies.Copy(_temp.Combine("linked"));
        var outside = _temp.Combine("outside");
        Directory.Move(Path.Combine(fixture, "repo"), outside);
        File.WriteAllText(Path.Combine(outside, "secret-outside.txt"), "not for the workspace");
        Directory.CreateSymbolicLink(Path.Combine(fixture, "repo"), outside);

        var result = Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), fixture: fixture));

        var report = ReportAssert.Ended(result, FailureKind.FixtureInvalid);
        Assert.Contains("'repo' is a symbolic link", report.Message);
        Assert.False(Directory.Exists(Path.Combine(report.RunDirectory, "workspace")));
    }

    [Fact]
    public void A_lock_file_name_with_a_directory_blocks_before_any_copy_is_made()
    {
        using var source = new CaseSource();
        source.Build();
        source.Admit();
        var outside = _temp.Combine("elsewhere");
        var lockJson = JsonNode.Parse(File.ReadAllText(source.LockFile))!;
        lockJson["binary"]!["fileName"] = Path.Combine(outside, "ca");
        File.WriteAllText(source.LockFile, lockJson.ToJsonString());
        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = AdmittedModelLane.Id,
            RunsDirectory = _temp.Combine("runs"),
            CaseLockFile = source.LockFile,
            CaseModelProvider = "openai-codex",
            CaseModel = "gpt-5.5",
            AdmittedModels = [new CtoHarness.Models.AdmittedModel("openai-codex", "gpt-5.5")],
        });
        Assert.Empty(errors);

        var result = Stage2Runner.Run(requests[0]);

        var report = ReportAssert.Ended(result, FailureKind.ProviderUnavailable);
        Assert.Contains("must be a plain file name", report.Message);
        Assert.False(Directory.Exists(outside));
        Assert.False(File.Exists(source.RecordPath) || File.Exists(CaseSource.RecordPathOf(report.RunDirectory)), "a provider process ran");
    }

    [Fact]
    public void Run_directories_and_summaries_get_random_exclusive_names()
    {
        var runs = _temp.Combine("runs");
        var now = DateTimeOffset.UtcNow;

        var names = Enumerable.Range(0, 20).Select(_ => RunDirectory.Create(runs, "r1", now).Id).ToList();

        Assert.Equal(20, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches(@"^\d{8}T\d{6}Z-r1-[0-9a-f]{12}$", name));
        Assert.False(Posix.CreateDirectoryExclusively(Path.Combine(runs, names[0])), "an existing run directory was taken again");
        var first = SummaryFiles.WriteNew(runs, null, new RunSummary());
        var second = SummaryFiles.WriteNew(runs, null, new RunSummary());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_catches_an_edited_report_and_an_added_link_or_fifo()
    {
        var result = Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), scenario: "noop"));
        var run = result.Report.RunDirectory;
        Assert.Empty(EvidenceVerifier.Verify(run, result.ReportSha256));

        File.WriteAllText(result.ReportPath, File.ReadAllText(result.ReportPath).Replace("\"status\": \"fail\"", "\"status\": \"pass\""));
        File.CreateSymbolicLink(Path.Combine(run, "workspace", "planted-link"), "/etc/passwd");
        Assert.Equal(0, Mkfifo(Path.Combine(run, "planted.fifo")));

        var mismatches = EvidenceVerifier.Verify(run, result.ReportSha256);

        Assert.Contains(mismatches, m => m.Path == result.ReportPath && m.Problem.Contains($"in {RunDirectory.ReportDigestFileName}"));
        Assert.Contains(mismatches, m => m.Path == result.ReportPath && m.Problem.Contains("in the summary"));
        Assert.Contains(mismatches, m => m.Path.EndsWith("planted-link") && m.Problem.Contains("symbolic link to '/etc/passwd'"));
        Assert.Contains(mismatches, m => m.Path.EndsWith("planted.fifo") && m.Problem.Contains("special file"));
    }

    [Fact]
    public void A_full_disk_under_the_output_stops_the_child_at_once()
    {
        using var reaper = new ReaperScope();
        var spec = new ProcessSpec("/bin/sh", ["-c", "exec yes flood"], _temp.Path, AllowedEnvironment.FromCurrentProcess(), "/dev/full", _temp.Combine("err.log"))
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        var clock = Stopwatch.StartNew();
        var result = SupervisedProcess.Run(spec with { StdoutPath = "/dev/full" }, reaper.Reaper, CancellationToken.None);

        Assert.NotNull(result.OutputFault);
        Assert.Contains("/dev/full", result.OutputFault);
        Assert.False(result.TimedOut);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the flooding child ran {clock.Elapsed} after the log could not be written");
        Assert.Empty(reaper.Reaper.FindLiving());
    }

    [Fact]
    public void A_full_disk_during_a_run_is_a_coded_harness_error_with_no_survivors()
    {
        var runs = _temp.Combine("small-disk");
        Directory.CreateDirectory(runs);
        var mounted = RunTool("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", runs);
        Assert.True(mounted == 0, "this test needs a 3 MiB tmpfs (root, as in CI) to fill the disk for real");
        try
        {
            var result = Stage2Runner.Run(FakeLane.Request(runs, scenario: "flood"));

            Assert.Equal(RunStatus.Error, result.Report.Status);
            Assert.Equal(FailureKind.HarnessError.Code, result.Report.ErrorCode);
            Assert.Contains("No space left on device", result.Report.Message);
            Assert.Empty(RunProcesses.Surviving(result.Report));
            Assert.True(result.Report.Backend.DurationMs < 60_000, $"the provider ran {result.Report.Backend.DurationMs} ms");
        }
        finally
        {
            RunTool("umount", "-l", runs);
        }
    }

    private static int RunTool(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static int Mkfifo(string path) => RunTool("mkfifo", path);

    private sealed class ReaperScope : IDisposable
    {
        public RunProcessReaper Reaper { get; } = new($"test-{Guid.NewGuid():N}");

        public void Dispose() => Reaper.TerminateAll(TimeSpan.FromMilliseconds(200));
    }
}
