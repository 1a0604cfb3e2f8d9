using CtoHarness.Contracts;
using CtoHarness.Evidence;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>
/// Re-checks run directories against the evidence manifests of their reports and the report digests recorded
/// beside them (and in the set's summary, when one is given): CTOH405 for each mismatch.
/// </summary>
public sealed class CaseStage2Verify : CtoHarnessTask
{
    public ITaskItem[] RunDirectories { get; set; } = [];

    /// <summary>The summary.json of the set the runs belong to (optional).</summary>
    public string? SummaryFile { get; set; }

    private protected override void Run(CodedErrors errors)
    {
        if (RunDirectories.Length == 0)
        {
            errors.AtSetting(Diagnostics.NoRunToVerify.Code,
                "CaseStage2Verify needs a run directory: -p:CtoHarnessRunDirectory=/path/to/run (the directory that holds report.json).");
            return;
        }
        RunSummary? summary = null;
        if (!string.IsNullOrWhiteSpace(SummaryFile))
        {
            try
            {
                summary = StrictJson.Deserialize<RunSummary>(File.ReadAllBytes(SummaryFile), JsonFiles.Options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                errors.Evidence(new EvidenceMismatch(Path.GetFullPath(SummaryFile), $"unreadable as a summary: {e.Message}"), SummaryFile);
                return;
            }
        }
        foreach (var item in RunDirectories)
        {
            var directory = item.GetMetadata("FullPath").TrimEnd(Path.DirectorySeparatorChar);
            string? recorded = null;
            if (summary is not null)
            {
                var entry = summary.Runs.FirstOrDefault(r => Path.GetDirectoryName(Path.GetFullPath(r.ReportPath)) == directory);
                if (entry?.ReportSha256 is null)
                {
                    errors.Evidence(new EvidenceMismatch(Path.GetFullPath(SummaryFile!), $"without a report digest for the run '{directory}'"), directory);
                    continue;
                }
                recorded = entry.ReportSha256;
            }
            var mismatches = EvidenceVerifier.Verify(directory, recorded);
            foreach (var mismatch in mismatches)
            {
                errors.Evidence(mismatch, directory);
            }
            if (mismatches.Count == 0)
            {
                Log.LogMessage(MessageImportance.High, $"CtoHarness verify: {directory} matches its evidence manifest{(recorded is null ? "" : " and its summary")}");
            }
        }
    }
}
