using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

/// <summary>The finished run: its report, where the report is, and the file that best shows why it did not pass.</summary>
public sealed record Stage2Result(Stage2Report Report, string ReportPath, string EvidencePath)
{
    public bool Passed => Report.Status == RunStatus.Pass;

    public string Summary =>
        $"CtoHarness Stage 2: fixture={Report.Fixture.Id} lane={Report.Lane} status={Report.Status.ToString().ToLowerInvariant()}" +
        $" reason={Report.FailureReason ?? "none"} run={Report.RunDirectory}";
}
