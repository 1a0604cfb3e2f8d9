using System.Globalization;
using System.Reflection;

namespace CtoHarness.Contracts;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>One code the package can report: its severity, its title, and its anchor in docs/errors.md.</summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Title)
{
    /// <summary>
    /// Where every code's section is: docs/errors.md in the repository at the commit this assembly was built from (its
    /// informational version ends with it), so that a help link reads the docs of the package in use; main otherwise.
    /// </summary>
    public static string DocsBase { get; } = $"https://github.com/ctoharness/CtoHarness/blob/{BuiltFrom() ?? "main"}/docs/errors.md";

    public string Anchor => Code.ToLowerInvariant();

    /// <summary>The code's section in the docs.</summary>
    public string DocsUrl => $"{DocsBase}#{Anchor}";

    /// <summary>What to do next, for the codes a run's verdict carries (shown on its page); null for the others.</summary>
    public string? NextStep { get; init; }

    private static string? BuiltFrom()
    {
        var version = typeof(Diagnostic).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var commit = version[(version.IndexOf('+') + 1)..];
        return version.Contains('+') && commit.Length == 40 && commit.All(Uri.IsHexDigit) ? commit : null;
    }

    public int Number => int.Parse(Code[4..], CultureInfo.InvariantCulture);
}

/// <summary>A range of codes for one kind of diagnostic.</summary>
public sealed record DiagnosticRange(string Kind, int First, int Last)
{
    public bool Contains(Diagnostic diagnostic) => diagnostic.Number >= First && diagnostic.Number <= Last;

    /// <summary>The code a new diagnostic of this kind takes: one past the highest taken.</summary>
    public string NextFree => $"CTOH{(Diagnostics.All.Where(Contains).Select(d => d.Number).DefaultIfEmpty(First - 1).Max() + 1).ToString("D3", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Every code the package reports, in one place (each has its section in docs/errors.md). Code elsewhere names a
/// diagnostic by its field, never by its number; the MSBuild targets, which cannot, use codes this registry holds.
/// </summary>
public static class Diagnostics
{
    public static readonly Diagnostic TimeoutInvalid = new("CTOH001", DiagnosticSeverity.Error, "Timeout is not a whole number of seconds from 1 to 86400");
    public static readonly Diagnostic LaneUnknown = new("CTOH002", DiagnosticSeverity.Error, "Unknown lane");
    public static readonly Diagnostic FakeScenarioUnknown = new("CTOH003", DiagnosticSeverity.Error, "Unknown fake scenario");
    public static readonly Diagnostic OutputCapInvalid = new("CTOH004", DiagnosticSeverity.Error, "Output cap is not a whole number of bytes of at least 1024");
    public static readonly Diagnostic NoFixture = new("CTOH005", DiagnosticSeverity.Error, "No fixture");
    public static readonly Diagnostic LockFileMissing = new("CTOH006", DiagnosticSeverity.Error, "The explicitly named lock does not exist");
    public static readonly Diagnostic PinInvalid = new("CTOH007", DiagnosticSeverity.Error, "Bad pin");
    public static readonly Diagnostic ToolchainRangeInvalid = new("CTOH008", DiagnosticSeverity.Error, "Bad toolchain range");
    public static readonly Diagnostic ProviderStoreTemporary = new("CTOH009", DiagnosticSeverity.Error, "Provider store in a temporary directory");
    public static readonly Diagnostic NoCaseCheckout = new("CTOH010", DiagnosticSeverity.Error, "No Case checkout to admit");
    public static readonly Diagnostic RunsDirectoryInRepository = new("CTOH011", DiagnosticSeverity.Error, "Runs directory inside the repository being built");
    public static readonly Diagnostic AdmittedModelMalformed = new("CTOH012", DiagnosticSeverity.Error, "Malformed admitted model");
    public static readonly Diagnostic NoFakeProvider = new("CTOH013", DiagnosticSeverity.Error, "No fake provider");
    public static readonly Diagnostic NotCoreMSBuild = new("CTOH014", DiagnosticSeverity.Error, "Not the .NET SDK's MSBuild");
    public static readonly Diagnostic TestRepeatsInvalid = new("CTOH015", DiagnosticSeverity.Error, "Bad repeat count");
    public static readonly Diagnostic NoRunToVerify = new("CTOH016", DiagnosticSeverity.Error, "No run to verify");
    public static readonly Diagnostic ShardInvalid = new("CTOH017", DiagnosticSeverity.Error, "Bad shard");
    public static readonly Diagnostic MaxParallelInvalid = new("CTOH018", DiagnosticSeverity.Error, "Bad parallelism");
    public static readonly Diagnostic ResumeUnreadable = new("CTOH019", DiagnosticSeverity.Error, "Unreadable resume summary");
    public static readonly Diagnostic NothingToMerge = new("CTOH020", DiagnosticSeverity.Error, "Nothing to merge");
    public static readonly Diagnostic ScriptedModelScenarioUnknown = new("CTOH021", DiagnosticSeverity.Error, "Unknown scripted model scenario");
    public static readonly Diagnostic ModelBudgetInvalid = new("CTOH022", DiagnosticSeverity.Error, "Bad model budget");
    public static readonly Diagnostic CaseProfileUnknown = new("CTOH023", DiagnosticSeverity.Error, "Unknown Case profile");
    public static readonly Diagnostic CassetteUnusable = new("CTOH024", DiagnosticSeverity.Error, "Unusable model cassette");
    public static readonly Diagnostic CassetteNotMade = new("CTOH025", DiagnosticSeverity.Error, "No cassette could be made");
    public static readonly Diagnostic SandboxSettingInvalid = new("CTOH026", DiagnosticSeverity.Error, "A sandbox setting is not valid");
    public static readonly Diagnostic ScriptedModelApiUnknown = new("CTOH027", DiagnosticSeverity.Error, "Unknown scripted model API style");
    public static readonly Diagnostic AttemptsInvalid = new("CTOH028", DiagnosticSeverity.Error, "Bad attempt count");
    public static readonly Diagnostic PassPolicyInvalid = new("CTOH029", DiagnosticSeverity.Error, "Bad pass policy");
    public static readonly Diagnostic CurrencyInvalid = new("CTOH030", DiagnosticSeverity.Error, "Bad currency");
    public static readonly Diagnostic CostBudgetWithoutPrice = new("CTOH031", DiagnosticSeverity.Error, "A cost budget for a model with no price");
    public static readonly Diagnostic ReuseBaselineInvalid = new("CTOH032", DiagnosticSeverity.Error, "Bad baseline reuse setting");
    public static readonly Diagnostic ProviderUnavailable = new("CTOH101", DiagnosticSeverity.Error, "provider unavailable") { NextStep = "Build and admit ca with 'dotnet build -t:CaseProviderBuild', or point CtoHarnessCaseLockFile at the lock that admitted it." };
    public static readonly Diagnostic ProviderUnverified = new("CTOH102", DiagnosticSeverity.Error, "provider unverified") { NextStep = "The binary is not the admitted bytes: rebuild it where it was admitted (CaseProviderBuild) or admit this one (CaseProviderAdmit), and commit the lock." };
    public static readonly Diagnostic SandboxUnavailable = new("CTOH103", DiagnosticSeverity.Error, "sandbox unavailable") { NextStep = "Install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces, or run the build as root (README.md, The sandbox)." };
    public static readonly Diagnostic NoSandbox = new("CTOH104", DiagnosticSeverity.Warning, "sandbox: none (a run's programs ran without a sandbox)") { NextStep = "Install bubblewrap, so that the run's programs run in a sandbox instead of with the build's rights." };
    public static readonly Diagnostic NotCaseCheckout = new("CTOH110", DiagnosticSeverity.Error, "Not a Case checkout");
    public static readonly Diagnostic WrongOrigin = new("CTOH111", DiagnosticSeverity.Error, "Wrong origin");
    public static readonly Diagnostic NotAtPin = new("CTOH112", DiagnosticSeverity.Error, "Not at the pin");
    public static readonly Diagnostic UnexplainedModifications = new("CTOH113", DiagnosticSeverity.Error, "Unexplained modifications");
    public static readonly Diagnostic NoBuiltBinary = new("CTOH114", DiagnosticSeverity.Error, "No built binary");
    public static readonly Diagnostic ToolchainOutOfRange = new("CTOH115", DiagnosticSeverity.Error, "Toolchain outside its range");
    public static readonly Diagnostic ToolchainMissing = new("CTOH116", DiagnosticSeverity.Warning, "Toolchain missing");
    public static readonly Diagnostic BinaryChangedWhileAdmitted = new("CTOH117", DiagnosticSeverity.Error, "The binary changed while it was admitted");
    public static readonly Diagnostic ProviderStoreUnwritable = new("CTOH118", DiagnosticSeverity.Error, "The provider store cannot be written");
    public static readonly Diagnostic CaseBuildFailed = new("CTOH119", DiagnosticSeverity.Error, "Case could not be built");
    public static readonly Diagnostic NoBunInstall = new("CTOH120", DiagnosticSeverity.Error, "No bun to build Case with");
    public static readonly Diagnostic CaseSourceUnusable = new("CTOH121", DiagnosticSeverity.Error, "The Case source has no such commit");
    public static readonly Diagnostic ModelNotAdmitted = new("CTOH201", DiagnosticSeverity.Error, "provider model not admitted") { NextStep = "Request an admitted pair, or add a CtoHarnessAdmittedModel item for this provider and model." };
    public static readonly Diagnostic LocalConfigUnavailable = new("CTOH202", DiagnosticSeverity.Error, "provider unavailable") { NextStep = "Set CtoHarnessCaseLocalBaseUrl to the local model server, and make sure it answers." };
    public static readonly Diagnostic ModelEndpointUnavailable = new("CTOH203", DiagnosticSeverity.Error, "provider unavailable") { NextStep = "Start the model endpoint (or fix its URL or key) and run again; the marker has what the probe got." };
    public static readonly Diagnostic ModelUnconfigurable = new("CTOH204", DiagnosticSeverity.Error, "provider unavailable") { NextStep = "Case cannot be configured for this model: check the admitted item's provider and API style." };
    public static readonly Diagnostic ProviderTimeout = new("CTOH301", DiagnosticSeverity.Error, "provider timeout") { NextStep = "Read the timeline and the provider log for where it stalled; raise CtoHarnessCaseTimeoutSeconds only if the work needs it." };
    public static readonly Diagnostic AgentProtocol = new("CTOH302", DiagnosticSeverity.Error, "case agent result protocol failed") { NextStep = "An agent ended without a valid AGENT_RESULT block: read its last answer in the transcript; try another model or profile." };
    public static readonly Diagnostic ProviderFailed = new("CTOH303", DiagnosticSeverity.Error, "provider failed") { NextStep = "Read the failed agent's phase in the timeline and transcript; the provider log has Case's own error." };
    public static readonly Diagnostic ModelEndpointFailed = new("CTOH304", DiagnosticSeverity.Error, "provider unavailable") { NextStep = "The model endpoint failed during the run (the traffic row has the first error): check its health, rate limits and key." };
    public static readonly Diagnostic ModelUnknown = new("CTOH305", DiagnosticSeverity.Error, "provider model unknown") { NextStep = "The endpoint does not serve the configured model: fix the admitted model's name or load it on the server." };
    public static readonly Diagnostic ModelBudgetExceeded = new("CTOH306", DiagnosticSeverity.Error, "model budget exceeded") { NextStep = "Raise the budget that was spent (CtoHarnessModelMaxCalls, MaxTokens or MaxCost) or use a smaller profile." };
    public static readonly Diagnostic ReplayDiverged = new("CTOH307", DiagnosticSeverity.Error, "model replay diverged") { NextStep = "Case asked what the cassette did not record: record the cassette again (CaseModelCassette) with this ca and fixture." };
    public static readonly Diagnostic SandboxLimit = new("CTOH308", DiagnosticSeverity.Error, "sandbox limit exceeded") { NextStep = "The run hit a sandbox limit (the marker names it): raise it with CtoHarnessSandboxLimits if the work needs it." };
    public static readonly Diagnostic FixtureInvalid = new("CTOH401", DiagnosticSeverity.Error, "fixture invalid") { NextStep = "Fix the fixture (the marker names the file) and check it with 'dotnet build -t:CaseFixtureCheck'." };
    public static readonly Diagnostic NoChanges = new("CTOH402", DiagnosticSeverity.Error, "no changes") { NextStep = "The agent changed nothing: read its transcript (did it find the code? did it stop early?)." };
    public static readonly Diagnostic TestsFailed = new("CTOH403", DiagnosticSeverity.Error, "tests failed") { NextStep = "Read the tests still failing (Tests, below) against the change: the fix is incomplete or broke a test." };
    public static readonly Diagnostic TestsTampered = new("CTOH404", DiagnosticSeverity.Error, "tests tampered") { NextStep = "The change reached the tests or the test framework (listed in the report): it is not graded and never passes." };
    public static readonly Diagnostic EvidenceMismatch = new("CTOH405", DiagnosticSeverity.Error, "Evidence does not match its report");
    public static readonly Diagnostic FixtureBaselineNotDeclared = new("CTOH406", DiagnosticSeverity.Error, "Fixture check: the baseline is not as declared");
    public static readonly Diagnostic FixtureSolutionFails = new("CTOH407", DiagnosticSeverity.Error, "Fixture check: the reference solution does not make every test pass");
    public static readonly Diagnostic FixtureTestUnprotected = new("CTOH408", DiagnosticSeverity.Error, "Fixture check: a test file is not protected");
    public static readonly Diagnostic FixtureOutcomeFlips = new("CTOH409", DiagnosticSeverity.Error, "Fixture check: the outcome changes between repeats");
    public static readonly Diagnostic FixtureCassetteDoesNotReplay = new("CTOH410", DiagnosticSeverity.Error, "Fixture check: a cassette does not replay");
    public static readonly Diagnostic HarnessError = new("CTOH501", DiagnosticSeverity.Error, "harness error") { NextStep = "A fault of CtoHarness itself: the marker has the details; report it with the run directory." };
    public static readonly Diagnostic Cancelled = new("CTOH502", DiagnosticSeverity.Error, "cancelled") { NextStep = "The build was cancelled; run it again." };
    public static readonly Diagnostic HealthCheckFailed = new("CTOH601", DiagnosticSeverity.Error, "A `CaseHealth` check failed");
    public static readonly Diagnostic ShardMissing = new("CTOH701", DiagnosticSeverity.Error, "A shard is missing");
    public static readonly Diagnostic ShardDuplicated = new("CTOH702", DiagnosticSeverity.Error, "A shard is duplicated");
    public static readonly Diagnostic ShardNotPassed = new("CTOH703", DiagnosticSeverity.Error, "A shard has a run that did not pass");
    public static readonly Diagnostic SummaryUnreadable = new("CTOH704", DiagnosticSeverity.Error, "Unreadable summary");
    public static readonly Diagnostic PairPolicyFailed = new("CTOH705", DiagnosticSeverity.Error, "A pair failed its pass policy");
    public static readonly Diagnostic PairPassedWithFailures = new("CTOH706", DiagnosticSeverity.Warning, "A pair passed its pass policy with failed attempts");
    public static readonly Diagnostic SetBudgetSpent = new("CTOH707", DiagnosticSeverity.Error, "Attempts not run: the set's cost budget was spent");

    /// <summary>The ranges codes are taken from, in order; a new code takes its range's next free one.</summary>
    public static IReadOnlyList<DiagnosticRange> Ranges { get; } =
    [
        new("configuration, before any run", 1, 99),
        new("the provider and the sandbox, before it starts (blocked)", 101, 109),
        new("building and admitting a ca (CaseProviderBuild, CaseProviderAdmit)", 110, 199),
        new("the model, before Case starts (blocked)", 201, 299),
        new("how the provider's run ended (fail)", 301, 399),
        new("the fixture, the change and the tests", 401, 499),
        new("the harness itself and cancellation", 501, 599),
        new("the self-test (CaseHealth)", 601, 699),
        new("sets of runs: attempts, policies, budgets, shards and their merge", 701, 799),
    ];

    /// <summary>Every diagnostic, by code.</summary>
    public static IReadOnlyList<Diagnostic> All { get; } = typeof(Diagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Diagnostic)).Select(f => (Diagnostic)f.GetValue(null)!).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();

    public static Diagnostic Of(string code) => All.FirstOrDefault(d => d.Code == code) ?? throw new ArgumentException($"{code} is not a CtoHarness diagnostic", nameof(code));
}
