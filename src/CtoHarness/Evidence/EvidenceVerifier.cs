using System.Text.Json;
using CtoHarness.Contracts;

namespace CtoHarness.Evidence;

public sealed record EvidenceMismatch(string Path, string Problem);

/// <summary>
/// Re-checks a run directory against the evidence manifest in its report.json: the report must still have the
/// digest recorded beside it (and in the set's summary, when given); every listed entry must be there as it was
/// (files by SHA-256 and size, links by target); and nothing may have appeared since, links and special files included.
/// </summary>
public static class EvidenceVerifier
{
    public static IReadOnlyList<EvidenceMismatch> Verify(string runDirectory, string? summaryReportSha256 = null)
    {
        var reportPath = Path.Combine(runDirectory, RunDirectory.ReportFileName);
        byte[] bytes;
        Stage2Report? report;
        try
        {
            bytes = File.ReadAllBytes(reportPath);
            report = StrictJson.Deserialize<Stage2Report>(bytes, JsonFiles.Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [new EvidenceMismatch(reportPath, $"the report cannot be read: {e.Message}")];
        }
        if (report is null || report.Evidence.Count == 0)
        {
            return [new EvidenceMismatch(reportPath, "the report has no evidence manifest")];
        }

        var mismatches = new List<EvidenceMismatch>();
        var reportSha256 = Sha256.OfBytes(bytes);
        if (RecordedReportDigest(runDirectory) is not { } recorded)
        {
            mismatches.Add(new(Path.Combine(runDirectory, RunDirectory.ReportDigestFileName), "missing or unreadable: the report's digest is not on record beside it"));
        }
        else if (recorded != reportSha256)
        {
            mismatches.Add(new(reportPath, $"changed since the run: SHA-256 {reportSha256}, recorded {recorded} in {RunDirectory.ReportDigestFileName}"));
        }
        if (summaryReportSha256 is not null && summaryReportSha256 != reportSha256)
        {
            mismatches.Add(new(reportPath, $"changed since the run: SHA-256 {reportSha256}, recorded {summaryReportSha256} in the summary"));
        }

        var present = EvidenceManifest.Collect(runDirectory).ToDictionary(f => f.Path);
        foreach (var expected in report.Evidence)
        {
            var path = Path.Combine(runDirectory, expected.Path);
            if (!present.Remove(expected.Path, out var actual))
            {
                mismatches.Add(new(path, "listed in the manifest but missing"));
            }
            else if (actual.Describe() != expected.Describe())
            {
                mismatches.Add(new(path, $"changed since the run: now {actual.Describe()}, recorded {expected.Describe()}"));
            }
        }
        mismatches.AddRange(present.Values.Select(extra =>
            new EvidenceMismatch(Path.Combine(runDirectory, extra.Path), $"not in the manifest: added after the run ({extra.Describe()})")));
        return mismatches;
    }

    private static string? RecordedReportDigest(string runDirectory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(runDirectory, RunDirectory.ReportDigestFileName));
            var digest = text.Split(' ', 2)[0].Trim();
            return digest.Length == 64 ? digest : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
