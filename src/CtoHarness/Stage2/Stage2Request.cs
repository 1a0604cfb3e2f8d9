using CtoHarness.Backend;
using CtoHarness.Lanes;
using CtoHarness.Preflight;

namespace CtoHarness.Stage2;

/// <summary>One Stage 2 run: a fixture on a lane. Everything is already validated configuration.</summary>
/// <param name="Model">The model configuration when the lane fixes it (the fake lane); null when a preflight gate decides it.</param>
public sealed record Stage2Request(string FixtureDirectory, string RunsDirectory, Lane Lane, ProviderLaunch Launch, CaseModel? Model)
{
    public int TimeoutSeconds { get; init; } = 900;
    public long OutputCapBytes { get; init; } = 8L * 1024 * 1024;
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);
    public IReadOnlyList<IPreflightGate> Preflight { get; init; } = [];
    /// <summary>How many times the final test run is made; all must agree.</summary>
    public int TestRepeats { get; init; } = 1;
    /// <summary>The requested model as it identifies a run for resume (<c>provider/model</c>).</summary>
    public string ModelKey { get; init; } = "";
    /// <summary>Case's pipeline profile written to the task file: <c>tiny</c> or <c>standard</c>.</summary>
    public string CaseProfile { get; init; } = "tiny";
    /// <summary>Budgets the relay enforces per run (null: unlimited).</summary>
    public long? ModelMaxCalls { get; init; }
    public long? ModelMaxTokens { get; init; }
    /// <summary>Told one line as each agent of the run starts and finishes talking to the model (the build log).</summary>
    public Action<string>? Progress { get; init; }
    /// <summary>The repository being built: none of its paths may reach Case.</summary>
    public string? TargetRepository { get; init; }
    /// <summary>When no sandbox can be had: true blocks the run (CTOH103); false runs it unsandboxed, with a warning.</summary>
    public bool RequireSandbox { get; init; }
    /// <summary>The bubblewrap to use; null looks for <c>bwrap</c> on PATH; <c>none</c> is no sandbox.</summary>
    public string? SandboxTool { get; init; }
    public Sandbox.SandboxLimits SandboxLimits { get; init; } = Sandbox.SandboxLimits.Default;
    /// <summary>Paths the run's programs may read although the sandbox hides them (a tool installed under a home).</summary>
    public IReadOnlyList<string> SandboxReadOnly { get; init; } = [];
    /// <summary>Where the restored packages of .NET fixtures are kept once, content-addressed and read-only; null: not kept.</summary>
    public string? PackageCacheDirectory { get; init; }
    /// <summary>Where baseline test runs are recorded for later runs with the same inputs to reuse; null: every run runs its own.</summary>
    public string? BaselineRecordsDirectory { get; init; }
    /// <summary>Which attempt of its pair this run is (1-based), of how many; the run id names it when there are several.</summary>
    public int Attempt { get; init; } = 1;
    public int Attempts { get; init; } = 1;
    /// <summary>The currency the declared prices are in (CtoHarnessCurrency).</summary>
    public string Currency { get; init; } = Contracts.ModelPrices.DefaultCurrency;
    /// <summary>A bound on what one run's model calls may cost at the declared prices (CtoHarnessModelMaxCost); null: none.</summary>
    public decimal? ModelMaxCost { get; init; }
    /// <summary>Where the run adds what its model calls cost as they are answered: the set's spend, bounded by CtoHarnessSetMaxCost.</summary>
    public Relay.SpendMeter? SetSpend { get; init; }
}
