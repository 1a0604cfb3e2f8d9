using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

/// <summary>
/// The end of every run, whatever ended it: the verdict from the findings, its marker, the run's private folders
/// removed and handed back, secrets masked, the evidence manifest, then report.json with its digest and the run page.
/// </summary>
internal static class ReportStep
{
    public static Stage2Result Finish(RunContext context)
    {
        var run = context.Run;
        var markers = new List<string>();
        var conclusion = Conclude(context, markers);
        List<EvidenceFile> evidence;
        try
        {
            // The verified copy of the provider is not evidence: its digest and path in the report are.
            DeleteDirectory(run.VerifiedBinaries);
            DeleteDirectory(run.Cache);
            DeleteDirectory(run.TestCache);
            DeleteDirectory(run.BaselineOutputs);
            Sandbox.WritableFolders.Reclaim(run.Path);
            context.Redactor.RedactFiles(run.Path);
            evidence = EvidenceManifest.Collect(run.Path);
        }
        catch (Exception e)
        {
            // Whatever broke the manifest, the run directory still gets its report, as a harness error.
            context.Add(new(FailureKind.HarnessError, $"the evidence manifest could not be built: {e.Message}", e.ToString()));
            conclusion = Conclude(context, markers);
            evidence = [];
        }
        return Write(run, ReportMapper.Map(context, conclusion, evidence), context.Redactor, conclusion.EvidencePath);
    }

    /// <summary>The run's verdict from its findings (a pass when there are none), with the winner's marker written.</summary>
    private static Conclusion Conclude(RunContext context, List<string> markers)
    {
        var run = context.Run;
        if (Verdicts.Decide(context.Findings) is not { } verdict)
        {
            return new Conclusion(RunStatus.Pass, null, null, "the provider completed and every fail-to-pass and pass-to-pass test passes", markers, run.ReportPath);
        }
        var kind = verdict.Kind;
        if (kind.Marker is null || markers.Contains(kind.Marker))
        {
            return new Conclusion(kind.Status, kind.Reason, kind.Code, verdict.Detail, markers, kind.Marker is null ? run.ReportPath : run.Combine(kind.Marker.Split('/')));
        }
        var marker = run.Combine(kind.Marker.Split('/'));
        try
        {
            SafeFiles.WriteNew(marker, $"reason: {kind.Reason}\ncode: {kind.Code}\ndetail: {verdict.Detail}\nreport: {run.ReportPath}\n{verdict.MarkerText}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Conclusion(kind.Status, kind.Reason, kind.Code, $"{verdict.Detail} (the marker {kind.Marker} could not be written: {e.Message})", markers, run.ReportPath);
        }
        markers.Add(kind.Marker);
        return new Conclusion(kind.Status, kind.Reason, kind.Code, verdict.Detail, markers, marker);
    }

    /// <summary>Writes report.json and its digest beside it; when even that fails (e.g. a full disk) the result says so.</summary>
    private static Stage2Result Write(RunDirectory run, Stage2Report report, SecretRedactor redactor, string evidence)
    {
        var bytes = redactor.Redact(JsonSerializer.SerializeToUtf8Bytes(report, JsonFiles.Options));
        try
        {
            JsonFiles.WriteAtomically(run.ReportPath, bytes);
            var digest = Sha256.OfBytes(bytes);
            JsonFiles.WriteAtomically(run.ReportDigestPath, System.Text.Encoding.ASCII.GetBytes($"{digest}  {RunDirectory.ReportFileName}\n"));
            WritePage(report, run);
            return new Stage2Result(report, run.ReportPath, evidence) { ReportSha256 = digest };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (report.Status == RunStatus.Pass)
            {
                (report.Status, report.FailureReason, report.ErrorCode) = (FailureKind.HarnessError.Status, FailureKind.HarnessError.Reason, FailureKind.HarnessError.Code);
            }
            report.Message = $"{report.Message} The report could not be written to '{run.ReportPath}' with its digest: {e.Message}";
            // A report already on disk must not go on saying pass when its digest could not be written beside it.
            var written = TryWrite(run.ReportPath, redactor.Redact(JsonSerializer.SerializeToUtf8Bytes(report, JsonFiles.Options)));
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
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
}
