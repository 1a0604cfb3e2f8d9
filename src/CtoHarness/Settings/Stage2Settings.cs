namespace CtoHarness.Settings;

/// <summary>The raw settings of a CaseStage2 invocation, as MSBuild hands them over (property already won over variable).</summary>
public sealed record Stage2Settings
{
    public IReadOnlyList<string> Fixtures { get; init; } = [];
    public string? Lane { get; init; }
    public string? RunsDirectory { get; init; }
    public string? TimeoutSeconds { get; init; }
    public string? OutputCapBytes { get; init; }
    public string? TestRepeats { get; init; }
    public string? FakeScenario { get; init; }
    /// <summary>What the scripted model does on the case-scripted lane (default <c>solve</c>).</summary>
    public string? ScriptedModelScenario { get; init; }
    /// <summary>The API style of the scripted model (default <c>openai-completions</c>).</summary>
    public string? ScriptedModelApi { get; init; }
    /// <summary>CtoHarnessCaseProfile: Case's pipeline profile, <c>tiny</c> (default) or <c>standard</c> (adds the verify phase).</summary>
    public string? CaseProfile { get; init; }
    /// <summary>CtoHarnessModelCassette: the cassette the case-replay lane serves (default: the fixture's model.cassette.json).</summary>
    public string? ModelCassette { get; init; }
    /// <summary>CtoHarnessModelMaxCalls / CtoHarnessModelMaxTokens: per-run budgets; empty is unlimited.</summary>
    public string? ModelMaxCalls { get; init; }
    public string? ModelMaxTokens { get; init; }
    public string? FakeProviderAssembly { get; init; }
    public string? DotnetHostPath { get; init; }
    public string? CaseBin { get; init; }
    public string? CaseLockFile { get; init; }
    /// <summary>True when the project or command line named the lock (an explicit path that cannot be read is a configuration error).</summary>
    public bool CaseLockFileIsExplicit { get; init; }
    public string? CaseModelProvider { get; init; }
    public string? CaseModel { get; init; }
    public string? CaseLocalBaseUrl { get; init; }
    public IReadOnlyList<Models.AdmittedModel> AdmittedModels { get; init; } = [];
    /// <summary>The directory of the project being built; its repository's paths never reach Case.</summary>
    public string? ProjectDirectory { get; init; }
    /// <summary>Allows CtoHarnessRunsDir inside the repository being built (refused by default).</summary>
    public bool AllowRunsDirectoryInRepository { get; init; }
    /// <summary>CtoHarnessReuseBaseline: <c>true</c> (default, also when empty) or <c>false</c>.</summary>
    public string? ReuseBaseline { get; init; }
    /// <summary>CtoHarnessRequireSandbox: <c>true</c>, <c>false</c>, or empty (required on every lane but fake).</summary>
    public string? RequireSandbox { get; init; }
    /// <summary>CtoHarnessSandboxTool: the bubblewrap to use (empty: <c>bwrap</c> on PATH; <c>none</c>: no sandbox).</summary>
    public string? SandboxTool { get; init; }
    /// <summary>CtoHarnessSandboxLimits: <c>processes=N;memoryMB=N;fileMB=N;diskMB=N</c> (unnamed ones keep their defaults).</summary>
    public string? SandboxLimits { get; init; }
    /// <summary>CtoHarnessSandboxReadOnly: a <c>;</c> list of absolute paths the run's programs may read although the sandbox hides them.</summary>
    public string? SandboxReadOnly { get; init; }
    /// <summary>CtoHarnessMaxParallel, CtoHarnessShard (<c>index/count</c>) and CtoHarnessResume (a summary.json): how the set runs.</summary>
    public string? MaxParallel { get; init; }
    public string? Shard { get; init; }
    public string? Resume { get; init; }
    /// <summary>CtoHarnessAttempts (1-100) and CtoHarnessPassPolicy (<c>all</c>, <c>any</c>, <c>at-least:M</c>).</summary>
    public string? Attempts { get; init; }
    public string? PassPolicy { get; init; }
    /// <summary>CtoHarnessCurrency: the currency every declared price is in (default USD).</summary>
    public string? Currency { get; init; }
    /// <summary>CtoHarnessModelMaxCost / CtoHarnessSetMaxCost: what one run's, and the whole set's, model calls may cost.</summary>
    public string? ModelMaxCost { get; init; }
    public string? SetMaxCost { get; init; }

    /// <summary>
    /// The prices a run of <paramref name="pair"/> is costed at: those of the CtoHarnessAdmittedModel item naming the pair
    /// report.json records as requested (for a harness-served model, its <c>ctoharness-…</c> pair); null: no price.
    /// </summary>
    public Contracts.ModelPrices? PricesOf(string pair) => AdmittedModels.FirstOrDefault(m => m.Pair == pair)?.Prices;
}
