namespace CtoHarness.Health;

/// <summary>health.json: whether every fail-closed path of the harness behaves, check by check.</summary>
public sealed class HealthReport
{
    public const string SchemaId = "https://ctoharness.dev/schemas/health/v1";

    public string Schema { get; set; } = SchemaId;
    public string HarnessVersion { get; set; } = CtoHarness.HarnessVersion.Current;
    public bool Ok { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public long DurationMs { get; set; }
    public List<HealthCheckResult> Checks { get; set; } = [];
}

public sealed class HealthCheckResult
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    /// <summary>The check needs something this machine does not have (an admitted real `ca`); it says what.</summary>
    public const string NotRun = "not-run";

    public string Name { get; set; } = "";
    public string Result { get; set; } = "";
    public string Expected { get; set; } = "";
    public string Observed { get; set; } = "";
    public string? Evidence { get; set; }
}
