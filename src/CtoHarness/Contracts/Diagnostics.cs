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
    public string Anchor => Code.ToLowerInvariant();

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
    public static readonly Diagnostic ProviderUnavailable = new("CTOH101", DiagnosticSeverity.Error, "provider unavailable");
    public static readonly Diagnostic ProviderUnverified = new("CTOH102", DiagnosticSeverity.Error, "provider unverified");
    public static readonly Diagnostic SandboxUnavailable = new("CTOH103", DiagnosticSeverity.Error, "sandbox unavailable");
    public static readonly Diagnostic NoSandbox = new("CTOH104", DiagnosticSeverity.Warning, "sandbox: none (a run's programs ran without a sandbox)");
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
    public static readonly Diagnostic ModelNotAdmitted = new("CTOH201", DiagnosticSeverity.Error, "provider model not admitted");
    public static readonly Diagnostic LocalConfigUnavailable = new("CTOH202", DiagnosticSeverity.Error, "provider unavailable");
    public static readonly Diagnostic ModelEndpointUnavailable = new("CTOH203", DiagnosticSeverity.Error, "provider unavailable");
    public static readonly Diagnostic ModelUnconfigurable = new("CTOH204", DiagnosticSeverity.Error, "provider unavailable");
    public static readonly Diagnostic ProviderTimeout = new("CTOH301", DiagnosticSeverity.Error, "provider timeout");
    public static readonly Diagnostic AgentProtocol = new("CTOH302", DiagnosticSeverity.Error, "case agent result protocol failed");
    public static readonly Diagnostic ProviderFailed = new("CTOH303", DiagnosticSeverity.Error, "provider failed");
    public static readonly Diagnostic ModelEndpointFailed = new("CTOH304", DiagnosticSeverity.Error, "provider unavailable");
    public static readonly Diagnostic ModelUnknown = new("CTOH305", DiagnosticSeverity.Error, "provider model unknown");
    public static readonly Diagnostic ModelBudgetExceeded = new("CTOH306", DiagnosticSeverity.Error, "model budget exceeded");
    public static readonly Diagnostic ReplayDiverged = new("CTOH307", DiagnosticSeverity.Error, "model replay diverged");
    public static readonly Diagnostic SandboxLimit = new("CTOH308", DiagnosticSeverity.Error, "sandbox limit exceeded");
    public static readonly Diagnostic FixtureInvalid = new("CTOH401", DiagnosticSeverity.Error, "fixture invalid");
    public static readonly Diagnostic NoChanges = new("CTOH402", DiagnosticSeverity.Error, "no changes");
    public static readonly Diagnostic TestsFailed = new("CTOH403", DiagnosticSeverity.Error, "tests failed");
    public static readonly Diagnostic TestsTampered = new("CTOH404", DiagnosticSeverity.Error, "tests tampered");
    public static readonly Diagnostic EvidenceMismatch = new("CTOH405", DiagnosticSeverity.Error, "Evidence does not match its report");
    public static readonly Diagnostic FixtureBaselineNotDeclared = new("CTOH406", DiagnosticSeverity.Error, "Fixture check: the baseline is not as declared");
    public static readonly Diagnostic FixtureSolutionFails = new("CTOH407", DiagnosticSeverity.Error, "Fixture check: the reference solution does not make every test pass");
    public static readonly Diagnostic FixtureTestUnprotected = new("CTOH408", DiagnosticSeverity.Error, "Fixture check: a test file is not protected");
    public static readonly Diagnostic FixtureOutcomeFlips = new("CTOH409", DiagnosticSeverity.Error, "Fixture check: the outcome changes between repeats");
    public static readonly Diagnostic FixtureCassetteDoesNotReplay = new("CTOH410", DiagnosticSeverity.Error, "Fixture check: a cassette does not replay");
    public static readonly Diagnostic HarnessError = new("CTOH501", DiagnosticSeverity.Error, "harness error");
    public static readonly Diagnostic Cancelled = new("CTOH502", DiagnosticSeverity.Error, "cancelled");
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
