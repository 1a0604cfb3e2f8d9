using System.Globalization;
using CtoHarness.Admission;
using CtoHarness.Attempts;
using CtoHarness.Contracts;
using CtoHarness.Lanes;
using CtoHarness.Processes;
using CtoHarness.Settings;
using CtoHarness.Stage2;

namespace CtoHarness.Configuration;

/// <summary>
/// Turns raw settings into validated run requests, or into configuration errors that stop the build
/// before any run starts. Each lane checks its own settings (<see cref="LaneRegistry"/>); the rest are checked here.
/// </summary>
public static class Stage2Planner
{
    public static IEnumerable<string> Lanes => LaneRegistry.Names;
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>One request per (fixture, lane) pair, fixtures in the order given, lanes in the order given.</summary>
    public static (IReadOnlyList<Stage2Request> Requests, IReadOnlyList<ConfigurationError> Errors) Plan(Stage2Settings settings)
    {
        var errors = new List<ConfigurationError>();
        var lanes = ResolveLanes(settings, errors);
        var common = Common(settings, errors);
        var lanePlans = lanes.Select(lane => lane.Plan(settings, new LaneInputs(common.LockFile), errors)).ToList();
        if (settings.Fixtures.Count == 0)
        {
            errors.Add(new(SettingsTable.Fixture.Code!, "No CtoHarnessFixture item is defined; add <CtoHarnessFixture Include=\"path/to/fixture\" /> or keep the built-in default."));
        }
        if (errors.Count > 0)
        {
            return ([], Distinct(errors));
        }
        var pairs = settings.Fixtures
            .Select(Path.GetFullPath)
            .SelectMany(fixture => lanePlans.Select(plan => (Fixture: fixture, Plan: plan.Lane.ForFixture(plan, fixture, settings, errors))))
            .ToList();
        CheckCostBudgetsArePriced(settings, pairs.Select(p => p.Plan), errors);
        var requests = pairs.Select(pair => common.Request(pair.Fixture, pair.Plan)).ToList();
        return errors.Count > 0 ? ([], Distinct(errors)) : (requests, errors);
    }

    /// <summary>A cost budget bounds nothing for a model with no price: every lane that talks to a model must price it.</summary>
    private static void CheckCostBudgetsArePriced(Stage2Settings settings, IEnumerable<LanePlan> plans, List<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(settings.ModelMaxCost) && string.IsNullOrWhiteSpace(settings.SetMaxCost))
        {
            return;
        }
        foreach (var plan in plans.Where(p => p.Lane.TalksToModel && (p.Model?.Prices ?? settings.PricesOf(p.ModelKey)) is null))
        {
            errors.Add(new(Diagnostics.CostBudgetWithoutPrice.Code,
                $"a cost budget (CtoHarnessModelMaxCost or CtoHarnessSetMaxCost) is set, but the {plan.Lane.Name} lane's model {plan.ModelKey} has no price: " +
                $"give its CtoHarnessAdmittedModel item InputPricePerMTok and OutputPricePerMTok."));
        }
    }

    private static List<Lane> ResolveLanes(Stage2Settings settings, List<ConfigurationError> errors)
    {
        var laneNames = (string.IsNullOrWhiteSpace(settings.Lane) ? FakeProviderLane.Id : settings.Lane)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var unknown in laneNames.Where(name => LaneRegistry.Find(name) is null))
        {
            errors.Add(new(SettingsTable.Lane.Code!, $"CtoHarnessLane '{unknown}' is not a lane; accepted: {string.Join(", ", Lanes)}."));
        }
        return laneNames.Select(LaneRegistry.Find).OfType<Lane>().ToList();
    }

    /// <summary>The settings every lane's runs share, checked.</summary>
    private static CommonSettings Common(Stage2Settings settings, List<ConfigurationError> errors)
    {
        var maxCalls = string.IsNullOrWhiteSpace(settings.ModelMaxCalls) ? (long?)null
            : WholeNumber(SettingsTable.ModelMaxCalls, settings.ModelMaxCalls, 0, 1, long.MaxValue, errors);
        var maxTokens = string.IsNullOrWhiteSpace(settings.ModelMaxTokens) ? (long?)null
            : WholeNumber(SettingsTable.ModelMaxTokens, settings.ModelMaxTokens, 0, 1, long.MaxValue, errors);
        // Case itself crashes on any other profile; say so before any run.
        var profile = string.IsNullOrWhiteSpace(settings.CaseProfile) ? "tiny" : settings.CaseProfile.Trim();
        if (profile is not ("tiny" or "standard"))
        {
            errors.Add(new(SettingsTable.CaseProfile.Code!, $"CtoHarnessCaseProfile '{profile}' is not a Case profile; accepted: {SettingsTable.CaseProfile.Accepted}."));
        }
        return new CommonSettings(
            LockFile: Path.GetFullPath(string.IsNullOrWhiteSpace(settings.CaseLockFile) ? ProviderLock.DefaultFileName : settings.CaseLockFile),
            Runs: RunsDirectory(settings, errors, out var targetRepository),
            TargetRepository: targetRepository,
            TimeoutSeconds: (int)WholeNumber(SettingsTable.CaseTimeoutSeconds, settings.TimeoutSeconds, DefaultOf(SettingsTable.CaseTimeoutSeconds), 1, MaxTimeoutSeconds, errors),
            OutputCapBytes: WholeNumber(SettingsTable.OutputCapBytes, settings.OutputCapBytes, DefaultOf(SettingsTable.OutputCapBytes), 1024, long.MaxValue, errors),
            TestRepeats: (int)WholeNumber(SettingsTable.TestRepeats, settings.TestRepeats, DefaultOf(SettingsTable.TestRepeats), 1, 20, errors),
            ModelMaxCalls: maxCalls,
            ModelMaxTokens: maxTokens,
            CaseProfile: profile,
            Sandbox: Sandboxing(settings, errors),
            Currency: Currency(settings, errors),
            ModelMaxCost: Amount(SettingsTable.ModelMaxCost, settings.ModelMaxCost, errors),
            ReuseBaseline: settings.ReuseBaseline?.Trim() switch
            {
                null or "" or "true" => true,
                "false" => false,
                var other => Invalid(errors, SettingsTable.ReuseBaseline.Code!, $"CtoHarnessReuseBaseline '{other}' is not {SettingsTable.ReuseBaseline.Accepted}.") ?? false,
            });
    }

    private static string RunsDirectory(Stage2Settings settings, List<ConfigurationError> errors, out string? targetRepository)
    {
        targetRepository = settings.ProjectDirectory is { Length: > 0 } project ? TargetRepository.Root(project) : null;
        var runs = string.IsNullOrWhiteSpace(settings.RunsDirectory) ? HarnessDirectories.DefaultRuns() : Path.GetFullPath(settings.RunsDirectory);
        if (targetRepository is not null && !settings.AllowRunsDirectoryInRepository && AllowedEnvironment.IsInside(runs, targetRepository))
        {
            errors.Add(new(SettingsTable.RunsDir.Code!, $"CtoHarnessRunsDir '{runs}' is inside the repository being built ('{targetRepository}'); runs must not touch it. " +
                                      "Leave it unset for the per-user state directory, or set CtoHarnessAllowRunsDirInRepository=true."));
        }
        return runs;
    }

    private static SandboxSettings Sandboxing(Stage2Settings settings, List<ConfigurationError> errors)
    {
        var required = settings.RequireSandbox?.Trim() switch
        {
            null or "" => (bool?)null,
            "true" => true,
            "false" => false,
            var other => Invalid(errors, SettingsTable.RequireSandbox.Code!, $"CtoHarnessRequireSandbox '{other}' is not {SettingsTable.RequireSandbox.Accepted}."),
        };
        var limits = Sandbox.SandboxLimits.Parse(settings.SandboxLimits, out var limitsError);
        if (limits is null)
        {
            errors.Add(new(SettingsTable.SandboxLimits.Code!, $"CtoHarnessSandboxLimits '{settings.SandboxLimits}': {limitsError}; expected e.g. {SettingsTable.SandboxLimits.Default}."));
        }
        var readOnly = (settings.SandboxReadOnly ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var relative in readOnly.Where(p => !Path.IsPathRooted(p)))
        {
            errors.Add(new(SettingsTable.SandboxReadOnly.Code!, $"CtoHarnessSandboxReadOnly '{relative}' is not an absolute path."));
        }
        var tool = string.IsNullOrWhiteSpace(settings.SandboxTool) ? null : settings.SandboxTool.Trim();
        return new SandboxSettings(required, tool, limits ?? Sandbox.SandboxLimits.Default, readOnly);
    }

    private sealed record SandboxSettings(bool? Required, string? Tool, Sandbox.SandboxLimits Limits, IReadOnlyList<string> ReadOnly);

    private sealed record CommonSettings(string LockFile, string Runs, string? TargetRepository, int TimeoutSeconds, long OutputCapBytes, int TestRepeats,
        long? ModelMaxCalls, long? ModelMaxTokens, string CaseProfile, SandboxSettings Sandbox, string Currency, decimal? ModelMaxCost, bool ReuseBaseline)
    {
        public Stage2Request Request(string fixture, LanePlan plan) => new(fixture, Runs, plan.Lane, plan.Launch, plan.Model)
        {
            ModelKey = plan.ModelKey,
            Preflight = plan.Preflight,
            CaseProfile = CaseProfile,
            ModelMaxCalls = ModelMaxCalls,
            ModelMaxTokens = ModelMaxTokens,
            ModelMaxCost = ModelMaxCost,
            Currency = Currency,
            TimeoutSeconds = TimeoutSeconds,
            OutputCapBytes = OutputCapBytes,
            TestRepeats = TestRepeats,
            TargetRepository = TargetRepository,
            PackageCacheDirectory = Path.Combine(HarnessDirectories.State(), "package-cache"),
            BaselineRecordsDirectory = ReuseBaseline ? Path.Combine(HarnessDirectories.State(), "baselines") : null,
            RequireSandbox = Sandbox.Required ?? plan.Lane.RequiresSandbox,
            SandboxTool = Sandbox.Tool,
            SandboxLimits = Sandbox.Limits,
            SandboxReadOnly = Sandbox.ReadOnly,
        };
    }

    /// <summary>Two lanes that check the same setting report it once.</summary>
    private static List<ConfigurationError> Distinct(List<ConfigurationError> errors) => errors.Distinct().ToList();

    private static bool? Invalid(List<ConfigurationError> errors, string code, string message)
    {
        errors.Add(new(code, message));
        return null;
    }

    /// <summary>How a set of pairs runs: parallelism (default: processor count), shard, resumed summary, attempts, policy, set budget.</summary>
    public static (BatchOptions Options, IReadOnlyList<ConfigurationError> Errors) PlanBatch(Stage2Settings settings)
    {
        var errors = new List<ConfigurationError>();
        var parallel = (int)WholeNumber(SettingsTable.MaxParallel, settings.MaxParallel, Environment.ProcessorCount, 1, 64, errors);
        ShardSpec? shardSpec = null;
        if (!string.IsNullOrWhiteSpace(settings.Shard) && (shardSpec = ShardSpec.Parse(settings.Shard.Trim())) is null)
        {
            errors.Add(new(SettingsTable.Shard.Code!, $"CtoHarnessShard '{settings.Shard}' is not {SettingsTable.Shard.Accepted}, e.g. 2/4."));
        }
        var (resumed, resumePath) = Resumed(settings.Resume, errors);
        var attempts = (int)WholeNumber(SettingsTable.Attempts, settings.Attempts, DefaultOf(SettingsTable.Attempts), 1, 100, errors);
        var policy = PassPolicy.Parse(settings.PassPolicy);
        if (policy is null)
        {
            errors.Add(new(SettingsTable.PassPolicy.Code!, $"CtoHarnessPassPolicy '{settings.PassPolicy}' is not {SettingsTable.PassPolicy.Accepted}."));
        }
        else if (policy.Required(attempts) > attempts)
        {
            errors.Add(new(SettingsTable.PassPolicy.Code!, $"CtoHarnessPassPolicy '{policy}' needs {policy.AtLeast} passes, but CtoHarnessAttempts is {attempts}: no pair could ever pass."));
        }
        return (new BatchOptions
        {
            MaxParallel = parallel,
            Shard = shardSpec,
            Resume = resumed,
            ResumePath = resumePath,
            Attempts = attempts,
            Policy = policy ?? PassPolicy.All,
            SetMaxCost = Amount(SettingsTable.SetMaxCost, settings.SetMaxCost, errors),
        }, errors);
    }

    private static (RunSummary? Summary, string? Path) Resumed(string? resume, List<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(resume))
        {
            return (null, null);
        }
        var path = Path.GetFullPath(resume.Trim());
        try
        {
            var summary = Evidence.StrictJson.Deserialize<RunSummary>(File.ReadAllBytes(path), Evidence.JsonFiles.Options);
            if (summary.Schema == RunSummary.SchemaId)
            {
                return (summary, path);
            }
            errors.Add(new(SettingsTable.Resume.Code!, $"CtoHarnessResume '{path}' is not a CtoHarness summary.json."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            errors.Add(new(SettingsTable.Resume.Code!, $"CtoHarnessResume '{path}' is not a readable summary.json: {e.Message}"));
        }
        return (null, path);
    }

    /// <summary>An optional amount of money above 0 (a cost budget); null when empty.</summary>
    private static decimal? Amount(Setting setting, string? text, List<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }
        errors.Add(new(setting.Code!, $"{setting.Named} '{text}' is not {setting.Accepted}."));
        return null;
    }

    private static string Currency(Stage2Settings settings, List<ConfigurationError> errors)
    {
        var currency = string.IsNullOrWhiteSpace(settings.Currency) ? SettingsTable.Currency.Default! : settings.Currency.Trim();
        if (currency.Length == 3 && currency.All(char.IsAsciiLetterUpper))
        {
            return currency;
        }
        errors.Add(new(SettingsTable.Currency.Code!, $"CtoHarnessCurrency '{currency}' is not {SettingsTable.Currency.Accepted} (e.g. USD, EUR)."));
        return SettingsTable.Currency.Default!;
    }

    /// <summary>An optional whole-number setting: the fallback when empty, else a number in range, else a coded error.</summary>
    private static long WholeNumber(Setting setting, string? text, long fallback, long min, long max, List<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors.Add(new(setting.Code!, $"{setting.Named} '{text}' is not {setting.Accepted}."));
        return fallback;
    }

    /// <summary>A whole-number setting's default, as the settings table (and so the package's props) has it.</summary>
    private static long DefaultOf(Setting setting) => long.Parse(setting.Default!, CultureInfo.InvariantCulture);

}
