using CtoHarness.Contracts;
using CtoHarness.Processes;

namespace CtoHarness.Stage2;

/// <summary>What preflight found: the fixture's identity, what the gates recorded of the provider and the model, the sandbox.</summary>
internal sealed record PreflightRecord(string? FixtureDigest, IReadOnlyList<string> TestsCommand, ProviderSection Provider, ModelSection Model, SandboxSection? Sandbox);

/// <summary>The workspace as the provider got it: the marker of the run's processes and the baseline test run.</summary>
internal sealed record WorkspaceRecord(string ProcessMarker, TestRunSection? Baseline)
{
    /// <summary>How the run used the package cache of a .NET fixture (see <see cref="TestsSection.PackageCache"/>).</summary>
    public string? PackageCache { get; init; }
    /// <summary>
    /// For a .NET fixture, the verified read-only package folder the baseline restored from, or empty when there was none
    /// (the provider gets the same, so that what its builds print does not depend on the cache); null for other fixtures.
    /// </summary>
    public string? PackageFallback { get; init; }
    /// <summary>How the run used the recorded baselines (see <see cref="TestsSection.BaselineRecord"/>).</summary>
    public string? BaselineRecord { get; init; }
}

/// <summary>The provider's run, as far as it went: Case's files, the command, how the process ran, the wire, the outcome.</summary>
internal sealed record ProviderRecord(string Profile, IReadOnlyList<EvidenceFile> ConfigurationFiles)
{
    public IReadOnlyList<string> CommandLine { get; init; } = [];
    public ProcessResult? Result { get; init; }
    public ModelTraffic? Traffic { get; init; }
    public ModelCost? Cost { get; init; }
    public string? Outcome { get; init; }
    public string? FailedAgent { get; init; }
}

/// <summary>The final test runs: the hidden tests laid over the workspace, the first run and its repeats.</summary>
internal sealed record GradingRecord(IReadOnlyList<string> HiddenFiles, TestRunSection? Final, IReadOnlyList<TestRunSection> Repeats)
{
    /// <summary>What the workspace held under ignored paths before a final run, moved aside (run-relative paths).</summary>
    public IReadOnlyList<string> SetAside { get; init; } = [];
}
