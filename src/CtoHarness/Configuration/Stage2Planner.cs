using System.Globalization;
using CtoHarness.Admission;
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
        var laneNames = (string.IsNullOrWhiteSpace(settings.Lane) ? FakeProviderLane.Id : settings.Lane)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var unknown in laneNames.Where(name => LaneRegistry.Find(name) is null))
        {
            errors.Add(new("CTOH002", $"CtoHarnessLane '{unknown}' is not a lane; accepted: {string.Join(", ", Lanes)}."));
        }
        var lanes = laneNames.Select(LaneRegistry.Find).OfType<Lane>().ToList();

        var timeout = (int)WholeNumber(settings.TimeoutSeconds, 900, 1, MaxTimeoutSeconds, errors,
            "CTOH001", "CtoHarnessCaseTimeoutSeconds (or CTO_HARNESS_CASE_TIMEOUT_SECONDS)", $"a whole number of seconds from 1 to {MaxTimeoutSeconds}");
        var cap = WholeNumber(settings.OutputCapBytes, 8L * 1024 * 1024, 1024, long.MaxValue, errors,
            "CTOH004", "CtoHarnessOutputCapBytes", "a whole number of bytes of at least 1024");
        var repeats = (int)WholeNumber(settings.TestRepeats, 1, 1, 20, errors, "CTOH015", "CtoHarnessTestRepeats", "a whole number from 1 to 20");

        var maxCalls = string.IsNullOrWhiteSpace(settings.ModelMaxCalls) ? (long?)null
            : WholeNumber(settings.ModelMaxCalls, 0, 1, long.MaxValue, errors, "CTOH022", "CtoHarnessModelMaxCalls", "empty (unlimited) or a whole number of calls of at least 1");
        var maxTokens = string.IsNullOrWhiteSpace(settings.ModelMaxTokens) ? (long?)null
            : WholeNumber(settings.ModelMaxTokens, 0, 1, long.MaxValue, errors, "CTOH022", "CtoHarnessModelMaxTokens", "empty (unlimited) or a whole number of tokens of at least 1");
        // Case itself crashes on any other profile; say so before any run.
        var profile = string.IsNullOrWhiteSpace(settings.CaseProfile) ? "tiny" : settings.CaseProfile.Trim();
        if (profile is not ("tiny" or "standard"))
        {
            errors.Add(new("CTOH023", $"CtoHarnessCaseProfile '{profile}' is not a Case profile; accepted: tiny (implement, review, close) or standard (adds verify)."));
        }
        var lockFile = Path.GetFullPath(string.IsNullOrWhiteSpace(settings.CaseLockFile) ? ProviderLock.DefaultFileName : settings.CaseLockFile);
        var lanePlans = lanes.Select(lane => lane.Plan(settings, new LaneInputs(lockFile), errors)).ToList();

        if (settings.Fixtures.Count == 0)
        {
            errors.Add(new("CTOH005", "No CtoHarnessFixture item is defined; add <CtoHarnessFixture Include=\"path/to/fixture\" /> or keep the built-in default."));
        }

        var requireSandbox = settings.RequireSandbox?.Trim() switch
        {
            null or "" => (bool?)null,
            "true" => true,
            "false" => false,
            var other => Invalid(errors, "CTOH026", $"CtoHarnessRequireSandbox '{other}' is not true, false or empty (required on every lane but fake)."),
        };
        var sandboxLimits = Sandbox.SandboxLimits.Parse(settings.SandboxLimits, out var limitsError);
        if (sandboxLimits is null)
        {
            errors.Add(new("CTOH026", $"CtoHarnessSandboxLimits '{settings.SandboxLimits}': {limitsError}; expected e.g. processes=4096;memoryMB=8192;fileMB=2048;diskMB=16384."));
        }

        var sandboxReadOnly = (settings.SandboxReadOnly ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var relative in sandboxReadOnly.Where(p => !Path.IsPathRooted(p)))
        {
            errors.Add(new("CTOH026", $"CtoHarnessSandboxReadOnly '{relative}' is not an absolute path."));
        }

        var targetRepository = settings.ProjectDirectory is { Length: > 0 } project ? TargetRepository.Root(project) : null;
        var runs = string.IsNullOrWhiteSpace(settings.RunsDirectory) ? HarnessDirectories.DefaultRuns() : Path.GetFullPath(settings.RunsDirectory);
        if (targetRepository is not null && !settings.AllowRunsDirectoryInRepository && AllowedEnvironment.IsInside(runs, targetRepository))
        {
            errors.Add(new("CTOH011", $"CtoHarnessRunsDir '{runs}' is inside the repository being built ('{targetRepository}'); runs must not touch it. " +
                                      "Leave it unset for the per-user state directory, or set CtoHarnessAllowRunsDirInRepository=true."));
        }
        if (errors.Count > 0)
        {
            return ([], Distinct(errors));
        }

        var requests = settings.Fixtures
            .Select(Path.GetFullPath)
            .SelectMany(fixture => lanePlans.Select(plan => (Fixture: fixture, Plan: plan.Lane.ForFixture(plan, fixture, settings, errors))))
            .Select(pair => new Stage2Request(pair.Fixture, runs, pair.Plan.Lane, pair.Plan.Launch, pair.Plan.Model)
            {
                ModelKey = pair.Plan.ModelKey,
                Preflight = pair.Plan.Preflight,
                CaseProfile = profile,
                ModelMaxCalls = maxCalls,
                ModelMaxTokens = maxTokens,
                TimeoutSeconds = timeout,
                OutputCapBytes = cap,
                TestRepeats = repeats,
                TargetRepository = targetRepository,
                RequireSandbox = requireSandbox ?? pair.Plan.Lane.RequiresSandbox,
                SandboxTool = string.IsNullOrWhiteSpace(settings.SandboxTool) ? null : settings.SandboxTool.Trim(),
                SandboxLimits = sandboxLimits!,
                SandboxReadOnly = sandboxReadOnly,
            })
            .ToList();
        return errors.Count > 0 ? ([], Distinct(errors)) : (requests, errors);
    }

    /// <summary>Two lanes that check the same setting report it once.</summary>
    private static List<ConfigurationError> Distinct(List<ConfigurationError> errors) => errors.Distinct().ToList();

    private static bool? Invalid(List<ConfigurationError> errors, string code, string message)
    {
        errors.Add(new(code, message));
        return null;
    }

    /// <summary>How a set of pairs runs: parallelism (default: processor count), shard, resumed summary.</summary>
    public static (BatchOptions Options, IReadOnlyList<ConfigurationError> Errors) PlanBatch(string? maxParallel, string? shard, string? resume)
    {
        var errors = new List<ConfigurationError>();
        var parallel = (int)WholeNumber(maxParallel, Environment.ProcessorCount, 1, 64, errors, "CTOH018", "CtoHarnessMaxParallel", "a whole number from 1 to 64");
        ShardSpec? shardSpec = null;
        if (!string.IsNullOrWhiteSpace(shard) && (shardSpec = ShardSpec.Parse(shard.Trim())) is null)
        {
            errors.Add(new("CTOH017", $"CtoHarnessShard '{shard}' is not 'index/count' with 1 <= index <= count <= {ShardSpec.MaxCount}, e.g. 2/4."));
        }
        RunSummary? resumed = null;
        string? resumePath = null;
        if (!string.IsNullOrWhiteSpace(resume))
        {
            resumePath = Path.GetFullPath(resume.Trim());
            try
            {
                resumed = Evidence.StrictJson.Deserialize<RunSummary>(File.ReadAllBytes(resumePath), Evidence.JsonFiles.Options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                errors.Add(new("CTOH019", $"CtoHarnessResume '{resumePath}' is not a readable summary.json: {e.Message}"));
            }
            if (resumed is not null && resumed.Schema != RunSummary.SchemaId)
            {
                errors.Add(new("CTOH019", $"CtoHarnessResume '{resumePath}' is not a CtoHarness summary.json."));
            }
        }
        return (new BatchOptions { MaxParallel = parallel, Shard = shardSpec, Resume = resumed, ResumePath = resumePath }, errors);
    }

    /// <summary>An optional whole-number setting: the fallback when empty, else a number in range, else a coded error.</summary>
    private static long WholeNumber(string? text, long fallback, long min, long max, List<ConfigurationError> errors, string code, string setting, string accepted)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors.Add(new(code, $"{setting} '{text}' is not {accepted}."));
        return fallback;
    }

}
