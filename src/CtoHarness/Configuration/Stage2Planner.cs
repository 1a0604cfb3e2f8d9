using System.Globalization;
using CtoHarness.Admission;
using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Fake;
using CtoHarness.Models;
using CtoHarness.Preflight;
using CtoHarness.Processes;
using CtoHarness.Stage2;

namespace CtoHarness.Configuration;

/// <summary>
/// Turns raw settings into validated run requests, or into configuration errors that stop the build
/// before any run starts. The lanes are defined here.
/// </summary>
public static class Stage2Planner
{
    public const string FakeLane = "fake";
    public const string CaseLane = "case";

    public const string ScriptedLane = "case-scripted";

    /// <summary>
    /// Every lane by name: the lane it runs on and the provider/model it presets (binary and base URL still come
    /// from the environment). The scripted lane runs the admitted `ca` against the harness's scripted model.
    /// </summary>
    private static readonly Dictionary<string, (string Lane, string? Provider, string? Model)> LaneTable = new()
    {
        [FakeLane] = (FakeLane, null, null),
        [CaseLane] = (CaseLane, null, null),
        ["case-qwen-local"] = (CaseLane, "qwen-local", "qwen3.6-35b-a3b"),
        [ScriptedLane] = (CaseLane, ScriptedProvider, ScriptedModel.ScriptedModelServer.ModelId),
        [ReplayLane] = (CaseLane, ReplayProvider, null),
    };

    public const string ReplayLane = "case-replay";
    /// <summary>The requested provider a replay records: never a real provider's name.</summary>
    public const string ReplayProvider = "ctoharness-replay";
    /// <summary>The cassette a fixture ships for the replay lane, beside its fixture.json.</summary>
    public const string FixtureCassetteFileName = "model.cassette.json";

    /// <summary>The requested provider a scripted run records: never a real provider's name.</summary>
    public const string ScriptedProvider = "ctoharness-scripted";

    public static IReadOnlyCollection<string> Lanes => LaneTable.Keys;
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>One request per (fixture, lane) pair, fixtures in the order given, lanes in the order given.</summary>
    public static (IReadOnlyList<Stage2Request> Requests, IReadOnlyList<ConfigurationError> Errors) Plan(Stage2Settings settings)
    {
        var errors = new List<ConfigurationError>();
        var laneNames = (string.IsNullOrWhiteSpace(settings.Lane) ? FakeLane : settings.Lane)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var unknown in laneNames.Where(name => !LaneTable.ContainsKey(name)))
        {
            errors.Add(new("CTOH002", $"CtoHarnessLane '{unknown}' is not a lane; accepted: {string.Join(", ", Lanes)}."));
        }
        var lanes = laneNames.Where(LaneTable.ContainsKey).ToList();
        var usesFake = lanes.Any(name => LaneTable[name].Lane == FakeLane);
        var usesCase = lanes.Any(name => LaneTable[name].Lane == CaseLane);

        var timeout = (int)WholeNumber(settings.TimeoutSeconds, 900, 1, MaxTimeoutSeconds, errors,
            "CTOH001", "CtoHarnessCaseTimeoutSeconds (or CTO_HARNESS_CASE_TIMEOUT_SECONDS)", $"a whole number of seconds from 1 to {MaxTimeoutSeconds}");
        var cap = WholeNumber(settings.OutputCapBytes, 8L * 1024 * 1024, 1024, long.MaxValue, errors,
            "CTOH004", "CtoHarnessOutputCapBytes", "a whole number of bytes of at least 1024");
        var repeats = (int)WholeNumber(settings.TestRepeats, 1, 1, 20, errors, "CTOH015", "CtoHarnessTestRepeats", "a whole number from 1 to 20");

        var scenario = string.IsNullOrWhiteSpace(settings.FakeScenario) ? FakeScenario.Fix : settings.FakeScenario.Trim();
        if (usesFake && !FakeScenario.All.Contains(scenario))
        {
            errors.Add(new("CTOH003", $"CtoHarnessFakeScenario (or CTO_HARNESS_FAKE_CASE_SCENARIO) '{scenario}' is not a fake scenario; accepted: {string.Join(", ", FakeScenario.All)}."));
        }

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
        var scriptedScenario = string.IsNullOrWhiteSpace(settings.ScriptedModelScenario) ? ScriptedModel.ScriptedModelScenario.Solve : settings.ScriptedModelScenario.Trim();
        if (lanes.Contains(ScriptedLane) && !ScriptedModel.ScriptedModelScenario.IsKnown(scriptedScenario))
        {
            errors.Add(new("CTOH021", $"CtoHarnessScriptedModelScenario '{scriptedScenario}' is not a scripted model scenario; accepted: {string.Join(", ", ScriptedModel.ScriptedModelScenario.All)}."));
        }

        var lockFile = Path.GetFullPath(string.IsNullOrWhiteSpace(settings.CaseLockFile) ? ProviderLock.DefaultFileName : settings.CaseLockFile);
        if (usesCase && settings.CaseLockFileIsExplicit && !File.Exists(lockFile))
        {
            errors.Add(new("CTOH006", $"CtoHarnessCaseLockFile '{lockFile}' does not exist; point it at the case-provider.lock.json written by the CaseProviderAdmit target, or leave it unset for the one beside the project."));
        }

        if (usesFake && string.IsNullOrWhiteSpace(settings.FakeProviderAssembly))
        {
            errors.Add(new("CTOH013", "CtoHarnessFakeProviderAssembly is not set; the package sets it beside the tasks assembly (fake-case/CtoHarness.FakeCase.dll)."));
        }

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
            return ([], errors);
        }

        // One template per lane; every fixture gets a copy of it.
        var templates = lanes.Select(laneName =>
        {
            var preset = LaneTable[laneName];
            var isFake = preset.Lane == FakeLane;
            // The scripted and replay lanes bring their own model endpoint; no admitted pair or model gate is involved.
            var harnessModel = laneName is ScriptedLane or ReplayLane;
            // The pair is taken exactly as given (an admitted pair must match it character for character) and recorded so.
            var model = harnessModel
                ? new ModelRequest(preset.Provider, preset.Model, null, [])
                : new ModelRequest(Exactly(settings.CaseModelProvider, preset.Provider), Exactly(settings.CaseModel, preset.Model), Or(settings.CaseLocalBaseUrl, null), settings.AdmittedModels);
            var (launch, gates) = isFake ? FakeLaneLaunch(settings, scenario) : CaseLaneLaunch(settings, lockFile, model, modelGate: !harnessModel);
            return new Stage2Request("", runs, laneName, launch, isFake ? CaseModel.Fake : harnessModel ? CaseModel.Scripted : null)
            {
                ScriptedModelScenario = laneName == ScriptedLane ? scriptedScenario : null,
                CaseProfile = profile,
                ModelMaxCalls = maxCalls,
                ModelMaxTokens = maxTokens,
                TimeoutSeconds = timeout,
                OutputCapBytes = cap,
                TestRepeats = repeats,
                Preflight = gates,
                TargetRepository = targetRepository,
                RequireSandbox = requireSandbox ?? !isFake,
                SandboxTool = string.IsNullOrWhiteSpace(settings.SandboxTool) ? null : settings.SandboxTool.Trim(),
                SandboxLimits = sandboxLimits!,
                SandboxReadOnly = sandboxReadOnly,
                ModelKey = isFake ? $"{CaseModel.Fake.Provider}/{CaseModel.Fake.Model}" : $"{model.Provider}/{model.Model}",
            };
        }).ToList();
        var requests = settings.Fixtures
            .SelectMany(fixture => templates.Select(template => template with { FixtureDirectory = Path.GetFullPath(fixture) }))
            .Select(request => request.Lane == ReplayLane ? WithCassette(request, settings.ModelCassette, errors) : request)
            .ToList();
        return errors.Count > 0 ? ([], errors) : (requests, errors);
    }

    private static bool? Invalid(List<ConfigurationError> errors, string code, string message)
    {
        errors.Add(new(code, message));
        return null;
    }

    /// <summary>A replay request with its cassette loaded and checked now: a bad cassette stops the build before any run.</summary>
    private static Stage2Request WithCassette(Stage2Request request, string? explicitPath, List<ConfigurationError> errors)
    {
        var path = string.IsNullOrWhiteSpace(explicitPath)
            ? Path.Combine(request.FixtureDirectory, FixtureCassetteFileName)
            : Path.GetFullPath(explicitPath.Trim());
        try
        {
            var cassette = Replay.Cassette.Read(path);
            return request with
            {
                Cassette = cassette,
                CassettePath = path,
                Model = CaseModel.Replayed(cassette.Model),
                ModelKey = $"{ReplayProvider}/{cassette.Model}",
            };
        }
        catch (Replay.CassetteInvalidException e)
        {
            errors.Add(new("CTOH024", $"{e.Message}. The case-replay lane needs CtoHarnessModelCassette (or the fixture's {FixtureCassetteFileName}): make one with the CaseModelCassette target."));
            return request;
        }
    }

    private static (ProviderLaunch, IReadOnlyList<IPreflightGate>) FakeLaneLaunch(Stage2Settings settings, string scenario)
    {
        var assembly = settings.FakeProviderAssembly ?? "";
        var host = string.IsNullOrWhiteSpace(settings.DotnetHostPath) ? DotnetHost.Locate() : settings.DotnetHostPath;
        // No debugger pipes or diagnostic sockets from the fake's runtime in the run's TMPDIR.
        var environment = new Dictionary<string, string> { [FakeScenario.Variable] = scenario, ["DOTNET_EnableDiagnostics"] = "0" };
        if (Environment.GetEnvironmentVariable(FakeScenario.FloodBytesVariable) is { Length: > 0 } floodBytes)
        {
            environment[FakeScenario.FloodBytesVariable] = floodBytes;
        }
        // The fake is admitted like any provider: its lock is produced by the package build, beside it.
        var lockFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(assembly))!, ProviderLock.DefaultFileName);
        var launch = new ProviderLaunch("fake", assembly, lockFile) { DotnetHost = host, LaneEnvironment = environment, ReceivesSolution = true };
        return (launch, [new ProviderVerificationGate(requestedBinary: null)]);
    }

    /// <summary>Preflight in DESIGN's order: provider verification, then model admission and local configuration.</summary>
    private static (ProviderLaunch, IReadOnlyList<IPreflightGate>) CaseLaneLaunch(Stage2Settings settings, string lockFile, ModelRequest model, bool modelGate)
    {
        var launch = new ProviderLaunch("case", settings.CaseBin ?? "", lockFile);
        return (launch, modelGate ? [new ProviderVerificationGate(settings.CaseBin), new ModelAdmissionGate(model)] : [new ProviderVerificationGate(settings.CaseBin)]);
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

    private static string? Or(string? value, string? fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();

    private static string? Exactly(string? value, string? fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
