using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>The finished run: its report, where the report is, and the file that best shows why it did not pass.</summary>
public sealed record Stage2Result(Stage2Report Report, string ReportPath, string EvidencePath)
{
    public bool Passed => Report.Status == RunStatus.Pass;

    /// <summary>False when not even report.json could be written (e.g. a full disk): the run directory is then the evidence.</summary>
    public bool ReportWritten { get; init; } = true;

    /// <summary>The SHA-256 of report.json as written (also kept beside it in report.json.sha256 and in the summary).</summary>
    public string? ReportSha256 { get; init; }

    public string Summary =>
        $"CtoHarness Stage 2: fixture={Report.Fixture.Id} lane={Report.Lane}{(Report.Attempts > 1 ? $" attempt={Report.Attempt}/{Report.Attempts}" : "")} status={Report.Status.ToString().ToLowerInvariant()}" +
        $" reason={Report.FailureReason ?? "none"} run={Report.RunDirectory}";
}
