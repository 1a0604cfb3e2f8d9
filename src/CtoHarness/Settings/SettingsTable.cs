using CtoHarness.Contracts;

namespace CtoHarness.Settings;

/// <summary>
/// One setting of the package: its MSBuild property, the environment variable used when the property is not set, its
/// default as the package's props set it (null: empty, or computed), what it accepts, the code of a bad value, and
/// the task parameters it reaches. A test checks the props, the targets, the tasks and the README against this table.
/// </summary>
public sealed record Setting(string Property, string? Variable, string? Default, string Accepted, string? Code, params string[] Parameters)
{
    /// <summary>How an error names it: the property, and its variable when it has one.</summary>
    public string Named => Variable is null ? Property : $"{Property} (or {Variable})";
}

/// <summary>Every setting, in the order of the README's configuration table.</summary>
public static class SettingsTable
{
    public static readonly Setting Lane = new("CtoHarnessLane", null, "fake", "a lane name, or several separated by ';'", Diagnostics.LaneUnknown.Code, "CaseStage2.Lane");
    public static readonly Setting ModelCassette = new("CtoHarnessModelCassette", null, null, "a cassette file", Diagnostics.CassetteUnusable.Code, "CaseStage2.ModelCassette", "CaseModelCassette.CassetteFile");
    public static readonly Setting ScriptedModelScenario = new("CtoHarnessScriptedModelScenario", null, null, "a scripted model scenario", Diagnostics.ScriptedModelScenarioUnknown.Code, "CaseStage2.ScriptedModelScenario");
    public static readonly Setting ScriptedModelApi = new("CtoHarnessScriptedModelApi", null, null, "openai-completions (default), openai-responses or anthropic-messages", Diagnostics.ScriptedModelApiUnknown.Code, "CaseStage2.ScriptedModelApi");
    public static readonly Setting CaseModelProvider = new("CtoHarnessCaseModelProvider", "CTO_HARNESS_CASE_MODEL_PROVIDER", null, "a provider name, exactly as admitted", null, "CaseStage2.CaseModelProvider");
    public static readonly Setting CaseModel = new("CtoHarnessCaseModel", "CTO_HARNESS_CASE_MODEL", null, "a model name, exactly as admitted", null, "CaseStage2.CaseModel");
    public static readonly Setting CaseLocalBaseUrl = new("CtoHarnessCaseLocalBaseUrl", "CTO_HARNESS_CASE_LOCAL_BASE_URL", null, "an absolute http(s) URL", null, "CaseStage2.CaseLocalBaseUrl");
    public static readonly Setting AllowRunsDirInRepository = new("CtoHarnessAllowRunsDirInRepository", null, "false", "true or false", null, "CaseStage2.AllowRunsDirectoryInRepository");
    public static readonly Setting CaseBin = new("CtoHarnessCaseBin", "CTO_HARNESS_CASE_BIN", null, "a path to the admitted ca", null, "CaseStage2.CaseBin", "CaseProviderVerify.CaseBin");
    public static readonly Setting CaseLockFile = new("CtoHarnessCaseLockFile", null, null, "an existing lock file", Diagnostics.LockFileMissing.Code, "CaseStage2.CaseLockFile", "CaseProviderAdmit.LockFile", "CaseProviderBuild.LockFile", "CaseProviderVerify.LockFile", "CaseHealth.CaseLockFile", "CaseFixtureCheck.CaseLockFile");
    public static readonly Setting CaseTimeoutSeconds = new("CtoHarnessCaseTimeoutSeconds", "CTO_HARNESS_CASE_TIMEOUT_SECONDS", "900", "a whole number of seconds from 1 to 86400", Diagnostics.TimeoutInvalid.Code, "CaseStage2.TimeoutSeconds");
    public static readonly Setting RunsDir = new("CtoHarnessRunsDir", null, null, "a folder outside the repository being built", Diagnostics.RunsDirectoryInRepository.Code, "CaseStage2.RunsDirectory", "CaseHealth.RunsDirectory", "CaseFixtureCheck.RunsDirectory");
    public static readonly Setting BuiltInFixtures = new("CtoHarnessBuiltInFixtures", null, "r1-string-slugify", "built-in fixture names separated by ';', or all", null);
    public static readonly Setting Fixture = new("CtoHarnessFixture", null, null, "fixture folders separated by ';'", Diagnostics.NoFixture.Code);
    public static readonly Setting MaxParallel = new("CtoHarnessMaxParallel", null, null, "a whole number from 1 to 64", Diagnostics.MaxParallelInvalid.Code, "CaseStage2.MaxParallel");
    public static readonly Setting Shard = new("CtoHarnessShard", null, null, "'index/count' with 1 <= index <= count <= 1000", Diagnostics.ShardInvalid.Code, "CaseStage2.Shard");
    public static readonly Setting Resume = new("CtoHarnessResume", null, null, "a readable summary.json", Diagnostics.ResumeUnreadable.Code, "CaseStage2.Resume");
    public static readonly Setting SummaryFile = new("CtoHarnessSummaryFile", null, null, "a file path", null, "CaseStage2.SummaryFile", "CaseStage2Verify.SummaryFile");
    public static readonly Setting ShardSummaries = new("CtoHarnessShardSummaries", null, null, "a glob of summary files", Diagnostics.NothingToMerge.Code);
    public static readonly Setting MergedSummaryFile = new("CtoHarnessMergedSummaryFile", null, null, "a file path", null, "CaseStage2Merge.MergedSummaryFile");
    public static readonly Setting RunDirectory = new("CtoHarnessRunDirectory", null, null, "a run directory", Diagnostics.NoRunToVerify.Code, "CaseModelCassette.RunDirectory");
    public static readonly Setting TestRepeats = new("CtoHarnessTestRepeats", null, "1", "a whole number from 1 to 20", Diagnostics.TestRepeatsInvalid.Code, "CaseStage2.TestRepeats");
    public static readonly Setting CaseProfile = new("CtoHarnessCaseProfile", null, null, "tiny (implement, review, close) or standard (adds verify)", Diagnostics.CaseProfileUnknown.Code, "CaseStage2.CaseProfile");
    public static readonly Setting ModelMaxCalls = new("CtoHarnessModelMaxCalls", null, null, "empty (unlimited) or a whole number of calls of at least 1", Diagnostics.ModelBudgetInvalid.Code, "CaseStage2.ModelMaxCalls");
    public static readonly Setting ModelMaxTokens = new("CtoHarnessModelMaxTokens", null, null, "empty (unlimited) or a whole number of tokens of at least 1", Diagnostics.ModelBudgetInvalid.Code, "CaseStage2.ModelMaxTokens");
    public static readonly Setting FixtureCheckRepeats = new("CtoHarnessFixtureCheckRepeats", null, "3", "a whole number from 1 to 20", null, "CaseFixtureCheck.Repeats");
    public static readonly Setting Attempts = new("CtoHarnessAttempts", null, "1", "a whole number of attempts per pair from 1 to 100", Diagnostics.AttemptsInvalid.Code, "CaseStage2.Attempts");
    public static readonly Setting PassPolicy = new("CtoHarnessPassPolicy", null, "all", "all, any, or at-least:M (M of the attempts, at most CtoHarnessAttempts)", Diagnostics.PassPolicyInvalid.Code, "CaseStage2.PassPolicy");
    public static readonly Setting Currency = new("CtoHarnessCurrency", null, "USD", "a three-letter currency code the prices are in", Diagnostics.CurrencyInvalid.Code, "CaseStage2.Currency");
    public static readonly Setting ModelMaxCost = new("CtoHarnessModelMaxCost", null, null, "empty (unlimited) or an amount above 0 one run's model calls may cost", Diagnostics.ModelBudgetInvalid.Code, "CaseStage2.ModelMaxCost");
    public static readonly Setting SetMaxCost = new("CtoHarnessSetMaxCost", null, null, "empty (unlimited) or an amount above 0 the whole set's model calls may cost", Diagnostics.ModelBudgetInvalid.Code, "CaseStage2.SetMaxCost");
    public static readonly Setting ReuseBaseline = new("CtoHarnessReuseBaseline", null, "true", "true or false", Diagnostics.ReuseBaselineInvalid.Code, "CaseStage2.ReuseBaseline");
    public static readonly Setting RequireSandbox = new("CtoHarnessRequireSandbox", null, null, "true, false or empty (required on every lane but fake)", Diagnostics.SandboxSettingInvalid.Code, "CaseStage2.RequireSandbox");
    public static readonly Setting SandboxTool = new("CtoHarnessSandboxTool", null, null, "a bubblewrap executable, or none", null, "CaseStage2.SandboxTool", "CaseFixtureCheck.SandboxTool");
    public static readonly Setting SandboxLimits = new("CtoHarnessSandboxLimits", null, "processes=4096;memoryMB=8192;fileMB=2048;diskMB=16384", "processes=N;memoryMB=N;fileMB=N;diskMB=N", Diagnostics.SandboxSettingInvalid.Code, "CaseStage2.SandboxLimits");
    public static readonly Setting SandboxReadOnly = new("CtoHarnessSandboxReadOnly", null, null, "absolute paths separated by ';'", Diagnostics.SandboxSettingInvalid.Code, "CaseStage2.SandboxReadOnly", "CaseFixtureCheck.SandboxReadOnly");
    public static readonly Setting OutputCapBytes = new("CtoHarnessOutputCapBytes", null, "8388608", "a whole number of bytes of at least 1024", Diagnostics.OutputCapInvalid.Code, "CaseStage2.OutputCapBytes");
    public static readonly Setting FakeScenario = new("CtoHarnessFakeScenario", "CTO_HARNESS_FAKE_CASE_SCENARIO", "fix", "a fake scenario", Diagnostics.FakeScenarioUnknown.Code, "CaseStage2.FakeScenario");
    public static readonly Setting TasksAssembly = new("CtoHarnessTasksAssembly", null, null, "the task assembly", null);
    public static readonly Setting JUnitFile = new("CtoHarnessJUnitFile", null, null, "a file path, or empty for none", null, "CaseStage2.JUnitFile");
    public static readonly Setting StepSummaryFile = new("CtoHarnessStepSummaryFile", "GITHUB_STEP_SUMMARY", null, "a file path, or empty for none", null, "CaseStage2.StepSummaryFile");
    public static readonly Setting CaseSource = new("CtoHarnessCaseSource", null, null, "a Case checkout (CaseProviderAdmit); a URL, checkout or git bundle (CaseProviderBuild)", Diagnostics.NoCaseCheckout.Code, "CaseProviderAdmit.Checkout", "CaseProviderBuild.Source");
    public static readonly Setting CaseSourceBinary = new("CtoHarnessCaseSourceBinary", null, null, "the built binary", null, "CaseProviderAdmit.Binary");
    public static readonly Setting CaseRepository = new("CtoHarnessCaseRepository", null, "https://github.com/workos/case.git", "a repository URL", Diagnostics.PinInvalid.Code, "CaseProviderAdmit.Repository", "CaseProviderBuild.Repository");
    public static readonly Setting CaseCommit = new("CtoHarnessCaseCommit", null, "7959ac917cdeb0983b4aaa20bb9f42021747fed8", "40 lowercase hex digits", Diagnostics.PinInvalid.Code, "CaseProviderAdmit.Commit", "CaseProviderBuild.Commit");
    public static readonly Setting NodeVersionRange = new("CtoHarnessNodeVersionRange", null, "[18.0.0, )", "a NuGet version range", Diagnostics.ToolchainRangeInvalid.Code, "CaseProviderAdmit.NodeVersionRange", "CaseProviderBuild.NodeVersionRange");
    public static readonly Setting BunVersionRange = new("CtoHarnessBunVersionRange", null, "[1.1.0, )", "a NuGet version range", Diagnostics.ToolchainRangeInvalid.Code, "CaseProviderAdmit.BunVersionRange", "CaseProviderBuild.BunVersionRange");
    public static readonly Setting ProviderStore = new("CtoHarnessProviderStore", null, null, "a durable folder, never a temporary one", Diagnostics.ProviderStoreTemporary.Code, "CaseProviderAdmit.StoreDirectory", "CaseProviderBuild.StoreDirectory");
    public static readonly Setting BunVersion = new("CtoHarnessBunVersion", null, "1.3.14", "a bun version on the npm registry", Diagnostics.NoBunInstall.Code, "CaseProviderBuild.BunVersion");
    public static readonly Setting CaseBuildsDir = new("CtoHarnessCaseBuildsDir", null, null, "a durable folder, never a temporary one", null, "CaseProviderBuild.BuildsDirectory");

    public static IReadOnlyList<Setting> All { get; } =
    [
        Lane, ModelCassette, ScriptedModelScenario, ScriptedModelApi, CaseModelProvider, CaseModel, CaseLocalBaseUrl, AllowRunsDirInRepository, CaseBin, CaseLockFile,
        CaseTimeoutSeconds, RunsDir, BuiltInFixtures, Fixture, MaxParallel, Shard, Resume, SummaryFile, ShardSummaries, MergedSummaryFile, RunDirectory,
        TestRepeats, CaseProfile, ModelMaxCalls, ModelMaxTokens, FixtureCheckRepeats, Attempts, PassPolicy, Currency, ModelMaxCost, SetMaxCost, ReuseBaseline, RequireSandbox, SandboxTool, SandboxLimits, SandboxReadOnly, OutputCapBytes, FakeScenario,
        TasksAssembly, JUnitFile, StepSummaryFile, CaseSource, CaseSourceBinary, CaseRepository, CaseCommit, NodeVersionRange, BunVersionRange, ProviderStore, BunVersion, CaseBuildsDir,
    ];
}
