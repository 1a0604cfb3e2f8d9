using System.Diagnostics;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Grading;
using CtoHarness.Preflight;
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
        // Loaded once, before the run directory exists, so that the manifest's id names it; an invalid
        // fixture is reported inside the run like any other failure.
        var (fixture, invalid) = TryLoad(request.FixtureDirectory);
        var fixtureKey = fixture?.Id ?? FixtureLoader.SafeKey(request.FixtureDirectory);
        var run = RunDirectory.Create(request.RunsDirectory, fixtureKey, started);
        var report = new Stage2Report
        {
            RunId = run.Id,
            RunDirectory = run.Path,
            Lane = request.Lane.Name,
            StartedAt = started,
            Fixture = { Id = fixtureKey, SourcePath = Path.GetFullPath(request.FixtureDirectory) },
            Provider = { Kind = request.Launch.Kind, ExecutablePath = request.Launch.ExecutablePath },
            Backend = { TimeoutSeconds = request.TimeoutSeconds },
        };
        string? evidence = null;
        var redactor = new SecretRedactor().WithBuildEnvironment();
        try
        {
            Execute(request, fixture ?? throw invalid!, run, report, redactor, cancellation);
            report.Status = RunStatus.Pass;
            report.Message = "the provider completed and every fail-to-pass and pass-to-pass test passes";
        }
        catch (Stage2Stop stop)
        {
            evidence = Fail(run, report, stop.Kind, stop.Message, stop.MarkerText);
        }
        catch (Sandbox.SandboxLimitExceeded e)
        {
            evidence = Fail(run, report, FailureKind.SandboxLimit, e.Message, $"program: {e.Program}\nlimit: {e.Limit}\n");
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
            // The verified copy of the provider is not evidence: its digest and path in the report are.
            DeleteDirectory(run.VerifiedBinaries);
            DeleteDirectory(run.Cache);
            Sandbox.WritableFolders.Reclaim(run.Path);
            redactor.RedactFiles(run.Path);
            report.Evidence = EvidenceManifest.Collect(run.Path);
        }
        catch (Exception e)
        {
            // Whatever broke the manifest, the run directory still gets its report, as a harness error.
            evidence = Fail(run, report, FailureKind.HarnessError, $"the evidence manifest could not be built: {e.Message}", e.ToString());
        }
        return Finish(run, report, redactor, evidence);
    }

    /// <summary>Writes report.json and its digest beside it; when even that fails (e.g. a full disk) the result says so.</summary>
    private static Stage2Result Finish(RunDirectory run, Stage2Report report, SecretRedactor redactor, string? evidence)
    {
        var bytes = redactor.Redact(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, JsonFiles.Options));
        try
        {
            JsonFiles.WriteAtomically(run.ReportPath, bytes);
            var digest = Sha256.OfBytes(bytes);
            JsonFiles.WriteAtomically(run.ReportDigestPath, System.Text.Encoding.ASCII.GetBytes($"{digest}  {RunDirectory.ReportFileName}\n"));
            WritePage(report, run);
            return new Stage2Result(report, run.ReportPath, evidence ?? run.ReportPath) { ReportSha256 = digest };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (report.Status == RunStatus.Pass)
            {
                report.Status = FailureKind.HarnessError.Status;
                report.FailureReason = FailureKind.HarnessError.Reason;
                report.ErrorCode = FailureKind.HarnessError.Code;
            }
            report.Message = $"{report.Message} The report could not be written to '{run.ReportPath}' with its digest: {e.Message}";
            // A report already on disk must not go on saying pass when its digest could not be written beside it.
            var written = TryWrite(run.ReportPath, redactor.Redact(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, JsonFiles.Options)));
            return new Stage2Result(report, run.ReportPath, run.Path) { ReportWritten = written };
        }
    }

    private static bool TryWrite(string path, byte[] bytes)
    {
        try
        {
            JsonFiles.WriteAtomically(path, bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>report.html, a view of the report and the evidence: a page that cannot be written never costs the run its report.</summary>
    private static void WritePage(Stage2Report report, RunDirectory run)
    {
        try
        {
            Pages.RunPage.Write(report, run.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // The report and its digest are written; the page is only a view of them.
        }
    }

    private static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }
        // Never through a link: the run's programs could write this folder, and a link in it may point anywhere.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(path, "*", options))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
        Directory.Delete(path, recursive: true);
    }

    private static void Execute(Stage2Request request, Fixture fixture, RunDirectory run, Stage2Report report, SecretRedactor redactor, CancellationToken cancellation)
    {
        report.Fixture.Digest = FixtureDigest.Compute(fixture.Directory);
        report.Tests.Command = [.. fixture.Manifest.Tests.Command];
        if (request.Model is { } fixedModel)
        {
            report.Model.Configured = new ModelPair { Provider = fixedModel.Provider, Model = fixedModel.Model };
            report.Model.BaseUrl = fixedModel.BaseUrl;
        }
        if (request.Lane.Served is { } served)
        {
            report.Model.Requested = served.Requested;
            report.Model.Upstream = served.Upstream;
        }

        var preflight = new PreflightContext(request.Launch, request.Model, report, run);
        foreach (var gate in request.Preflight)
        {
            if (gate.Check(preflight) is { } block)
            {
                throw new Stage2Stop(block.Kind, block.Detail, block.MarkerText);
            }
        }
        var sandbox = SandboxStep.Decide(request, report);
        cancellation.ThrowIfCancellationRequested();

        var reaper = new RunProcessReaper($"{run.Id}-{Guid.NewGuid():N}");
        report.Backend.ProcessMarker = reaper.Marker;
        var baseline = WorkspaceBuilder.Create(fixture, run.Workspace, run.HarnessGit);
        Verdict.CheckSolutionApplies(fixture, baseline);
        var tests = new FixtureTestRunner(fixture, run, reaper, sandbox, (label, result) => SandboxStep.Record(report, $"tests:{label}", result));
        var baselineTests = tests.Run("baseline", cancellation);
        report.Tests.Baseline = baselineTests.Section;
        Verdict.ValidateBaseline(fixture, baselineTests);
        var protectedFiles = ProtectedFiles.Snapshot(run.Workspace, fixture.Manifest.ProtectedPaths);

        var model = preflight.Model ?? throw new InvalidOperationException("no model configuration was decided for the provider");
        var outcome = ProviderStep.Run(request with { Launch = preflight.Launch, Model = model }, fixture, run, report, reaper, redactor, sandbox, cancellation);
        if (baseline.Tampered() is { Count: > 0 } planted)
        {
            // Never run git over a repository the agent rewrote: its config or hooks would run inside the harness.
            report.Changes.TamperedPaths = [.. planted.Select(p => $"baseline.git/{p}")];
            throw new Stage2Stop(FailureKind.TestsTampered,
                $"the harness's baseline repository was changed while the provider ran ({string.Join(", ", planted.Take(10))}); the change was not graded");
        }
        var changes = ChangeCollector.Collect(baseline, run.PatchPath);
        redactor.RedactFile(changes.PatchPath);
        report.Changes.Files = [.. changes.Files];
        report.Changes.PatchPath = run.Relative(changes.PatchPath);
        report.Changes.PatchSha256 = Sha256.OfFile(changes.PatchPath);
        report.Changes.PatchBytes = changes.PatchBytes;
        if (outcome.Failure is { } providerFailure)
        {
            throw new Stage2Stop(providerFailure, outcome.Detail, outcome.MarkerText);
        }

        Verdict.JudgeChange(changes, protectedFiles, baseline, report);
        Verdict.JudgeFinalTests(fixture, tests, request.TestRepeats, report, cancellation);
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
        try
        {
            SafeFiles.WriteNew(marker, $"reason: {kind.Reason}\ncode: {kind.Code}\ndetail: {detail}\nreport: {run.ReportPath}\n{markerText}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Message = $"{detail} (the marker {kind.Marker} could not be written: {e.Message})";
            return run.ReportPath;
        }
        report.Markers.Add(kind.Marker);
        return marker;
    }

    private static (Fixture? Fixture, FixtureInvalidException? Invalid) TryLoad(string fixtureDirectory)
    {
        try
        {
            return (FixtureLoader.Load(fixtureDirectory), null);
        }
        catch (FixtureInvalidException e)
        {
            return (null, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new FixtureInvalidException($"the fixture '{fixtureDirectory}' cannot be read: {e.Message}"));
        }
    }
}
