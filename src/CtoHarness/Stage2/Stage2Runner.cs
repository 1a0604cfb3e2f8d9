using System.Diagnostics;
using CtoHarness.Backend;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Grading;
using CtoHarness.Processes;
using CtoHarness.Workspace;

namespace CtoHarness.Stage2;

/// <summary>
/// One Stage 2 run (DESIGN "Stage 2 run"): preflight, workspace, baseline tests, provider, classification,
/// grading. Whatever happens, including cancellation and harness faults, the run directory ends with a
/// report.json, and no process of the run is left alive.
/// </summary>
public static class Stage2Runner
{
    public static Stage2Result Run(Stage2Request request, CancellationToken cancellation = default)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var run = RunDirectory.Create(request.RunsDirectory, FixtureKey(request.FixtureDirectory), started);
        var report = new Stage2Report
        {
            RunId = run.Id,
            RunDirectory = run.Path,
            Lane = request.Lane,
            StartedAt = started,
            Fixture = { Id = FixtureKey(request.FixtureDirectory), SourcePath = Path.GetFullPath(request.FixtureDirectory) },
            Provider = { Kind = request.Launch.Kind, ExecutablePath = request.Launch.ExecutablePath },
            Backend = { TimeoutSeconds = request.TimeoutSeconds },
        };
        string? evidence = null;
        var redactor = new SecretRedactor();
        try
        {
            Execute(request, run, report, redactor, cancellation);
            report.Status = RunStatus.Pass;
            report.Message = "the provider completed and every fail-to-pass and pass-to-pass test passes";
        }
        catch (Stage2Stop stop)
        {
            evidence = Fail(run, report, stop.Kind, stop.Message, stop.MarkerText);
        }
        catch (FixtureInvalidException e)
        {
            evidence = Fail(run, report, FailureKind.FixtureInvalid, e.Message, null);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            evidence = Fail(run, report, FailureKind.Cancelled, "the build was cancelled; the run's processes were stopped", null);
        }
        catch (Exception e)
        {
            evidence = Fail(run, report, FailureKind.HarnessError, $"the harness failed: {e.Message}", e.ToString());
        }

        report.FinishedAt = DateTimeOffset.UtcNow;
        report.DurationMs = clock.ElapsedMilliseconds;
        try
        {
            redactor.RedactFiles(run.Path);
            report.Evidence = EvidenceManifest.Collect(run.Path, RunDirectory.ReportFileName);
        }
        catch (Exception e)
        {
            // Whatever broke the manifest, the run directory still gets its report, as a harness error.
            evidence = Fail(run, report, FailureKind.HarnessError, $"the evidence manifest could not be built: {e.Message}", e.ToString());
        }
        JsonFiles.WriteAtomically(run.ReportPath, redactor.Redact(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, JsonFiles.Options)));
        return new Stage2Result(report, run.ReportPath, evidence ?? run.ReportPath);
    }

    private static void Execute(Stage2Request request, RunDirectory run, Stage2Report report, SecretRedactor redactor, CancellationToken cancellation)
    {
        var fixture = FixtureLoader.Load(request.FixtureDirectory);
        report.Fixture.Id = fixture.Id;
        report.Fixture.Digest = FixtureDigest.Compute(fixture.Directory);
        report.Tests.Command = [.. fixture.Manifest.Tests.Command];
        if (request.Model is { } fixedModel)
        {
            report.Model.Configured = new ModelPair { Provider = fixedModel.Provider, Model = fixedModel.Model };
            report.Model.BaseUrl = fixedModel.BaseUrl;
        }

        var preflight = new PreflightContext(request.Launch, request.Model, report, run);
        foreach (var gate in request.Preflight)
        {
            if (gate.Check(preflight) is { } block)
            {
                throw new Stage2Stop(block.Kind, block.Detail, block.MarkerText);
            }
        }
        cancellation.ThrowIfCancellationRequested();

        var reaper = new RunProcessReaper($"{run.Id}-{Guid.NewGuid():N}");
        report.Backend.ProcessMarker = reaper.Marker;
        var baselineCommit = WorkspaceBuilder.Create(fixture, run.Workspace);
        CheckSolutionApplies(fixture, run.Workspace);
        var tests = new FixtureTestRunner(fixture, run, reaper);
        var baseline = tests.Run("baseline", cancellation);
        report.Tests.Baseline = baseline.Section;
        ValidateBaseline(fixture, baseline);
        var protectedFiles = ProtectedFiles.Snapshot(run.Workspace, fixture.Manifest.ProtectedPaths);

        var model = preflight.Model ?? throw new InvalidOperationException("no model configuration was decided for the provider");
        var outcome = RunProvider(request with { Launch = preflight.Launch, Model = model }, fixture, run, report, reaper, redactor, cancellation);
        var changes = ChangeCollector.Collect(run.Workspace, baselineCommit, run.PatchPath);
        report.Changes.Files = [.. changes.Files];
        report.Changes.PatchPath = run.Relative(changes.PatchPath);
        report.Changes.PatchSha256 = Sha256.OfFile(changes.PatchPath);
        report.Changes.PatchBytes = changes.PatchBytes;
        if (outcome.Failure is { } providerFailure)
        {
            throw new Stage2Stop(providerFailure, outcome.Detail);
        }

        var tampered = protectedFiles.Changed();
        report.Changes.TamperedPaths = [.. tampered];
        protectedFiles.Restore(baselineCommit, tampered);
        if (tampered.Count > 0)
        {
            throw new Stage2Stop(FailureKind.TestsTampered, $"the provider changed protected files: {string.Join(", ", tampered)} (restored before grading)");
        }
        if (changes.Files.Count == 0)
        {
            throw new Stage2Stop(FailureKind.NoChanges, "the provider completed but left no change in the workspace");
        }

        var final = tests.Run("final", cancellation);
        report.Tests.Final = final.Section;
        for (var repeat = 2; repeat <= request.TestRepeats; repeat++)
        {
            var again = tests.Run($"final-repeat-{repeat}", cancellation);
            report.Tests.FinalRepeats.Add(again.Section);
            var disagreeing = fixture.AllTestIds.Where(id => Outcome(final, id) != Outcome(again, id)).ToList();
            if (disagreeing.Count > 0)
            {
                throw new Stage2Stop(FailureKind.TestsFailed, "the tests are flaky: repeats of the final test run disagree on " +
                    string.Join(", ", disagreeing.Select(id => $"{id} ({Outcome(final, id)} in run 1, {Outcome(again, id)} in run {repeat})")));
            }
        }
        var stillFailing = final.NotPassing(fixture.Manifest.FailToPass);
        var regressed = final.NotPassing(fixture.Manifest.PassToPass);
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
            throw new Stage2Stop(FailureKind.TestsFailed, string.Join("; ", parts));
        }
    }

    private static string Outcome(TestRun run, string id) => run.Outcomes.GetValueOrDefault(id, TestOutcome.Missing);

    /// <summary>A fixture's reference solution must apply to its own sources, or the fixture is invalid.</summary>
    private static void CheckSolutionApplies(Fixture fixture, string workspace)
    {
        if (fixture.SolutionPatchPath is not { } solution)
        {
            return;
        }
        try
        {
            Git.Run(workspace, "apply", "--check", solution);
        }
        catch (InvalidOperationException e)
        {
            throw new FixtureInvalidException($"the solution patch '{solution}' does not apply to the fixture's sources: {e.Message}");
        }
    }

    private static ProviderOutcome RunProvider(Stage2Request request, Fixture fixture, RunDirectory run, Stage2Report report, RunProcessReaper reaper,
        SecretRedactor redactor, CancellationToken cancellation)
    {
        var model = request.Model!;
        var setup = CaseBackend.Prepare(run.Backend, fixture, run.Workspace, request.Launch, model, run.Id, request.TargetRepository);
        foreach (var (name, value) in setup.Environment)
        {
            if (SecretRedactor.IsSecretName(name) && !(name == model.KeyVariable && !model.KeyIsSecret))
            {
                redactor.Add(value);
            }
        }
        report.Model.ConfigurationFiles = setup.GeneratedFiles
            .Select(f => new EvidenceFile { Path = run.Relative(f), Sha256 = Sha256.OfFile(f), Size = new FileInfo(f).Length })
            .ToList();
        if (CaseConfigurationCheck.Problems(setup, model, fixture.Id) is { Count: > 0 } problems)
        {
            throw new Stage2Stop(FailureKind.ModelNotAdmitted, $"the configuration written for Case does not name the admitted model: {string.Join("; ", problems)}",
                string.Concat(problems.Select(p => $"problem: {p}\n")));
        }
        var observer = new CaseOutputObserver();
        var spec = new ProcessSpec(request.Launch.FileName, setup.Arguments, setup.WorkingDirectory, setup.Environment, run.ProviderStdout, run.ProviderStderr)
        {
            Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
            KillGrace = request.KillGrace,
            OutputCapBytes = request.OutputCapBytes,
            OnLine = observer.OnLine,
        };
        report.Backend.CommandLine = [.. spec.CommandLine];
        var result = SupervisedProcess.Run(spec, reaper, cancellation);

        var backend = report.Backend;
        backend.CaseProcessStarted = result.Started;
        backend.ExitCode = result.Started ? result.ExitCode : null;
        backend.TimedOut = result.TimedOut;
        backend.DurationMs = (long)result.Duration.TotalMilliseconds;
        backend.StdoutLog = run.Relative(run.ProviderStdout);
        backend.StderrLog = run.Relative(run.ProviderStderr);
        backend.StdoutBytes = result.Stdout.TotalBytes;
        backend.StderrBytes = result.Stderr.TotalBytes;
        backend.StdoutTruncated = result.Stdout.Truncated;
        backend.StderrTruncated = result.Stderr.Truncated;
        backend.ProcessesReaped = result.OrphansReaped;
        if (result.Cancelled)
        {
            throw new OperationCanceledException(cancellation);
        }

        var outcome = ProviderOutcome.Classify(result, observer);
        backend.Outcome = outcome.Name;
        backend.FailedAgent = observer.FailedAgent;
        if (outcome.Failure == FailureKind.ProviderTimeout)
        {
            var killed = string.Join("\n", result.Reaped.Select(p => $"  pid {p.Pid} ({p.Signal}): {p.CommandLine}"));
            throw new Stage2Stop(FailureKind.ProviderTimeout, $"the provider was stopped after its {request.TimeoutSeconds} s bound",
                $"timeoutSeconds: {request.TimeoutSeconds}\nelapsedMs: {backend.DurationMs}\nkilled:\n{killed}\n");
        }
        return outcome;
    }

    private static void ValidateBaseline(Fixture fixture, TestRun baseline)
    {
        var passingFailToPass = baseline.Passing(fixture.Manifest.FailToPass);
        var failingPassToPass = baseline.NotPassing(fixture.Manifest.PassToPass);
        var missing = fixture.AllTestIds.Where(id => !baseline.Outcomes.ContainsKey(id)).ToList();
        var problems = new List<string>();
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

    private static string Fail(RunDirectory run, Stage2Report report, FailureKind kind, string detail, string? markerText)
    {
        report.Status = kind.Status;
        report.FailureReason = kind.Reason;
        report.ErrorCode = kind.Code;
        report.Message = detail;
        if (kind.Marker is null)
        {
            return run.ReportPath;
        }
        var marker = run.Combine(kind.Marker.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, $"reason: {kind.Reason}\ncode: {kind.Code}\ndetail: {detail}\nreport: {run.ReportPath}\n{markerText}");
        report.Markers.Add(kind.Marker);
        return marker;
    }

    private static string FixtureKey(string fixtureDirectory) => FixtureLoader.SafeKey(fixtureDirectory);
}
