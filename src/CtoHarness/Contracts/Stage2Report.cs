namespace CtoHarness.Contracts;

/// <summary>
/// report.json, the Harness Evidence Interface. Shape is fixed by docs/report.schema.json;
/// paths of files inside the run directory are relative to it (with '/' separators) so that
/// a downloaded CI artifact stays readable.
/// </summary>
public sealed class Stage2Report
{
    public const string SchemaId = "https://ctoharness.dev/schemas/stage2-report/v1";
    public const int CurrentSchemaVersion = 1;

    public string Schema { get; set; } = SchemaId;
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    public string HarnessVersion { get; set; } = CtoHarness.HarnessVersion.Current;
    public string RunId { get; set; } = "";
    public string RunDirectory { get; set; } = "";
    public RunStatus Status { get; set; } = RunStatus.Error;
    public string? FailureReason { get; set; }
    public string? ErrorCode { get; set; }
    public string? Message { get; set; }
    public string Lane { get; set; } = "";
    /// <summary>Which attempt of its (fixture, lane) pair this run is (1-based), of how many (CtoHarnessAttempts).</summary>
    public int Attempt { get; set; } = 1;
    public int Attempts { get; set; } = 1;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public long DurationMs { get; set; }
    public List<string> Markers { get; set; } = [];
    public FixtureSection Fixture { get; set; } = new();
    public ProviderSection Provider { get; set; } = new();
    public ModelSection Model { get; set; } = new();
    public BackendSection Backend { get; set; } = new();
    public ChangesSection Changes { get; set; } = new();
    public TestsSection Tests { get; set; } = new();
    public SandboxSection Sandbox { get; set; } = new();
    public List<EvidenceFile> Evidence { get; set; } = [];
}

/// <summary>The boundary the run's programs ran behind: which, with what limits, and as whom each program ran.</summary>
public sealed class SandboxSection
{
    /// <summary><c>bubblewrap</c>, or <c>none</c> (then <see cref="Warning"/> says why).</summary>
    public string Kind { get; set; } = "none";
    public string? Tool { get; set; }
    public bool Required { get; set; }
    public string? Warning { get; set; }
    public SandboxLimitsSection? Limits { get; set; }
    public List<SandboxProgram> Programs { get; set; } = [];
}

public sealed class SandboxLimitsSection
{
    public int Processes { get; set; }
    public long MemoryBytes { get; set; }
    public long FileBytes { get; set; }
    public long DiskBytes { get; set; }
}

/// <summary>One program of the run in the sandbox: the user it ran as (never the harness's when <see cref="SeparateUser"/>) and its network.</summary>
public sealed class SandboxProgram
{
    public string Program { get; set; } = "";
    public int Uid { get; set; }
    public bool SeparateUser { get; set; }
    public string Network { get; set; } = "none";
}

public sealed class FixtureSection
{
    public string Id { get; set; } = "";
    public string SourcePath { get; set; } = "";
    public string? Digest { get; set; }
}

public sealed class ProviderSection
{
    public string Kind { get; set; } = "";
    /// <summary>The admission lock the provider was verified against.</summary>
    public string? LockFile { get; set; }
    /// <summary>The file whose bytes were verified and copied (the store copy, or CtoHarnessCaseBin).</summary>
    public string? VerifiedFrom { get; set; }
    /// <summary>The run-local verified copy that was executed.</summary>
    public string? ExecutablePath { get; set; }
    public string? Sha256 { get; set; }
    public long? Size { get; set; }
    public string? SourceRepository { get; set; }
    public string? SourceCommit { get; set; }
    public string Verification { get; set; } = "not-performed";
}

public sealed class ModelPair
{
    public string Provider { get; set; } = "";
    public string Model { get; set; } = "";

    public override string ToString() => $"{Provider}/{Model}";
}

public sealed class ModelSection
{
    public ModelPair? Requested { get; set; }
    public ModelPair? Configured { get; set; }
    public bool? Admitted { get; set; }
    public bool Local { get; set; }
    public string? BaseUrl { get; set; }
    /// <summary><c>scripted</c> when the model was the harness's scripted model (case-scripted lane): never a real model's pass.</summary>
    public string? Upstream { get; set; }
    /// <summary>What went over the wire between Case and its model (the relay's record); null when no relay ran.</summary>
    public ModelTraffic? Traffic { get; set; }
    /// <summary>What the calls cost at the pair's declared prices; null when no relay ran or no price was declared.</summary>
    public ModelCost? Cost { get; set; }
    /// <summary>The files generated for Case (config.json, projects.json, models.json, the task file), as they were when Case started.</summary>
    public List<EvidenceFile> ConfigurationFiles { get; set; } = [];
}

public sealed class BackendSection
{
    /// <summary>Case's pipeline profile in the task file (<c>tiny</c> or <c>standard</c>).</summary>
    public string? Profile { get; set; }
    /// <summary><c>subreaper</c>: the provider ran below the run supervisor; <c>marker</c>: found by the marker variable alone.</summary>
    public string? ProcessContainment { get; set; }
    public bool CaseProcessStarted { get; set; }
    public List<string> CommandLine { get; set; } = [];
    public int? ExitCode { get; set; }
    public bool TimedOut { get; set; }
    public int TimeoutSeconds { get; set; }
    public long DurationMs { get; set; }
    public string? Outcome { get; set; }
    public string? FailedAgent { get; set; }
    public string? StdoutLog { get; set; }
    public string? StderrLog { get; set; }
    public long StdoutBytes { get; set; }
    public long StderrBytes { get; set; }
    public bool StdoutTruncated { get; set; }
    public bool StderrTruncated { get; set; }
    public int ProcessesReaped { get; set; }
    /// <summary>The value of CTO_HARNESS_RUN_MARKER that every process of the run inherits.</summary>
    public string? ProcessMarker { get; set; }
}

public sealed class ChangesSection
{
    public List<string> Files { get; set; } = [];
    public string? PatchPath { get; set; }
    public string? PatchSha256 { get; set; }
    public long PatchBytes { get; set; }
    public List<string> TamperedPaths { get; set; } = [];
    /// <summary>
    /// What the workspace held under the fixture's ignored paths (build outputs, caches) before a final test run:
    /// moved out of the workspace, never run (the baseline's own build outputs are put back instead).
    /// </summary>
    public List<string> SetAside { get; set; } = [];
}

public sealed class TestsSection
{
    public List<string> Command { get; set; } = [];
    public TestRunSection? Baseline { get; set; }
    public TestRunSection? Final { get; set; }
    /// <summary>Further final runs (CtoHarnessTestRepeats); any disagreement with the first fails the run as flaky.</summary>
    public List<TestRunSection> FinalRepeats { get; set; } = [];
    /// <summary>The fixture's hidden test files laid over the workspace for the final runs (the agent never saw them).</summary>
    public List<string> HiddenFiles { get; set; } = [];
    /// <summary>
    /// For a .NET fixture: <c>used &lt;folder&gt;</c> (the verified read-only package cache was the tests' fallback folder),
    /// <c>kept &lt;folder&gt;</c> (this run's baseline restore became the cache), or why neither; null for other fixtures.
    /// </summary>
    public string? PackageCache { get; set; }
    /// <summary>
    /// How the run used the recorded baselines: <c>reused &lt;record&gt;</c> (the baseline was not run again, see
    /// <see cref="TestRunSection.Reused"/>), <c>recorded &lt;record&gt;</c>, or why neither; null when records are off.
    /// </summary>
    public string? BaselineRecord { get; set; }
}

public sealed class TestRunSection
{
    public int? ExitCode { get; set; }
    public bool TimedOut { get; set; }
    public long DurationMs { get; set; }
    public string StdoutLog { get; set; } = "";
    public string StderrLog { get; set; } = "";
    public List<TestResultEntry> Results { get; set; } = [];
    /// <summary>True when the harness's observer recorded the test framework's own outcomes.</summary>
    public bool Observed { get; set; }
    /// <summary>Where the run's results, observer, summary line and exit code contradicted each other.</summary>
    public List<string> Disagreements { get; set; } = [];
    /// <summary>The compiler's first errors when the tests could not be built (a .NET fixture).</summary>
    public List<string> BuildErrors { get; set; } = [];
    /// <summary>Result methods of the test framework the harness's observer found rebound after the tests ran (tampering).</summary>
    public List<string> FrameworkTampering { get; set; } = [];
    /// <summary>A baseline not run again: the recorded baseline of an earlier run with the same inputs (null: this run ran it).</summary>
    public ReusedBaseline? Reused { get; set; }
}

/// <summary>Where a reused baseline comes from: the run that recorded it, when, and the sealed record.</summary>
public sealed class ReusedBaseline
{
    public string RunId { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
    public string Record { get; set; } = "";
}

public sealed class TestResultEntry
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Outcome { get; set; } = "";
}

public sealed class EvidenceFile
{
    public const string SymbolicLink = "symlink";
    public const string SpecialFile = "special";

    public string Path { get; set; } = "";
    /// <summary>Null for a regular file; <c>symlink</c> or <c>special</c> (FIFO, socket, device) otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; set; }
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? LinkTarget { get; set; }
    /// <summary>Empty for links and special files.</summary>
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }

    public string Describe() => Kind switch
    {
        null => $"SHA-256 {Sha256} ({Size} bytes)",
        SymbolicLink => $"a symbolic link to '{LinkTarget}'",
        _ => "a special file (FIFO, socket or device)",
    };
}
