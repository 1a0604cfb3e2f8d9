using System.Text.Json;

namespace CtoHarness.Evidence;

public sealed record EvidenceMismatch(string Path, string Problem);

/// <summary>
/// Re-checks a run directory against the evidence manifest in its report.json: every listed file must be
/// there with its SHA-256 and size, and no file may have appeared since. Catches evidence edited after the fact.
/// </summary>
public static class EvidenceVerifier
{
    public static IReadOnlyList<EvidenceMismatch> Verify(string runDirectory)
    {
        var reportPath = Path.Combine(runDirectory, RunDirectory.ReportFileName);
        Stage2Report? report;
        try
        {
            report = JsonSerializer.Deserialize<Stage2Report>(File.ReadAllBytes(reportPath), JsonFiles.Options);
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
        var present = EvidenceManifest.Collect(runDirectory, RunDirectory.ReportFileName).ToDictionary(f => f.Path);
        foreach (var expected in report.Evidence)
        {
            var path = Path.Combine(runDirectory, expected.Path);
            if (!present.Remove(expected.Path, out var actual))
            {
                mismatches.Add(new(path, "listed in the manifest but missing"));
            }
            else if (actual.Sha256 != expected.Sha256 || actual.Size != expected.Size)
            {
                mismatches.Add(new(path, $"changed since the run: SHA-256 {actual.Sha256} ({actual.Size} bytes), recorded {expected.Sha256} ({expected.Size} bytes)"));
            }
        }
        mismatches.AddRange(present.Values.Select(extra => new EvidenceMismatch(Path.Combine(runDirectory, extra.Path), "not in the manifest: added after the run")));
        return mismatches;
    }
}
