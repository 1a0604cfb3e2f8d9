using System.Text.Json.Nodes;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Processes;

namespace CtoHarness.Backend;

public sealed record BackendSetup(
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Arguments,
    string TaskFile,
    string WorkingDirectory)
{
    public string ConfigFile { get; init; } = "";
    public string ProjectsFile { get; init; } = "";
    public string? ModelsFile { get; init; }
    /// <summary>Folders of the run that are Case's own (home, data, agent, tmp, tasks): the only ones besides the workspace it may write.</summary>
    public IReadOnlyList<string> PrivateDirectories { get; init; } = [];
    /// <summary>Files the harness hands the provider to read (the fake's copy of the solution).</summary>
    public IReadOnlyList<string> ReadOnlyFiles { get; init; } = [];

    /// <summary>Every file the harness generated for Case.</summary>
    public IEnumerable<string> GeneratedFiles => new[] { ConfigFile, ProjectsFile, ModelsFile, TaskFile }.OfType<string>();
}

/// <summary>
/// Lays out the isolated world Case runs in (HOME, CASE_DATA_DIR, PI_CODING_AGENT_DIR, TMPDIR), writes
/// its configuration so that it cannot fall back to a default model, writes a fresh task file, and
/// builds the environment from an allowlist: nothing of the caller's environment reaches Case unless named here.
/// </summary>
public static class CaseBackend
{
    public static IReadOnlyList<string> Roles => Protocol.AgentRole.Names;

    /// <param name="excludedRoot">The repository being built: PATH entries inside it are not passed to Case.</param>
    public static BackendSetup Prepare(string backendDirectory, Fixture fixture, string workspace, ProviderLaunch launch, CaseModel model, string runId,
        string? excludedRoot = null, string profile = "tiny")
    {
        var home = Create(backendDirectory, "home");
        var xdgConfig = Create(backendDirectory, "home", ".config");
        var caseData = Create(backendDirectory, "case-data");
        var agentDir = Create(backendDirectory, "pi-agent");
        var temp = Create(backendDirectory, "tmp");
        var tasks = Create(backendDirectory, "tasks");

        var configFile = Path.Combine(caseData, "config.json");
        var projectsFile = Path.Combine(caseData, "projects.json");
        string? modelsFile = null;
        WriteJson(configFile, CaseConfig(model));
        WriteJson(projectsFile, Projects(fixture, workspace));
        if (model.BaseUrl is not null)
        {
            modelsFile = Path.Combine(agentDir, "models.json");
            WriteJson(modelsFile, ModelsJson(model));
        }

        var taskFile = WriteTask(tasks, fixture, runId, profile);
        var environment = Environment(excludedRoot, model, launch, new(home, xdgConfig, caseData, agentDir, temp));
        var readOnly = new List<string>();
        if (launch.ReceivesSolution && fixture.SolutionPatchPath is { } solution)
        {
            // A copy in the run, so that no path of the repository being built reaches the provider.
            var copy = Path.Combine(backendDirectory, "fake-solution.patch");
            File.Copy(solution, copy, overwrite: true);
            environment[Fake.FakeScenario.SolutionVariable] = copy;
            readOnly.Add(copy);
        }

        string[] arguments = [.. launch.PrefixArguments, "run", "--task", taskFile, "--mode", "unattended"];
        return new BackendSetup(environment, arguments, taskFile, workspace)
        {
            ConfigFile = configFile,
            ProjectsFile = projectsFile,
            ModelsFile = modelsFile,
            PrivateDirectories = [home, caseData, agentDir, temp, tasks],
            ReadOnlyFiles = readOnly,
        };
    }

    private sealed record PrivateFolders(string Home, string XdgConfig, string CaseData, string AgentDirectory, string Temp);

    /// <summary>A fresh task file (Case rewrites it in place), and the .md beside it that the prompt names.</summary>
    private static string WriteTask(string tasks, Fixture fixture, string runId, string profile)
    {
        var taskId = $"ctoharness-{runId}";
        var taskFile = Path.Combine(tasks, $"{taskId}.task.json");
        WriteJson(taskFile, new JsonObject
        {
            ["id"] = taskId,
            ["status"] = "active",
            ["created"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
            ["repo"] = fixture.Id,
            ["profile"] = profile,
            ["mode"] = "unattended",
            // Case puts a freeform issue into every agent's prompt; the .md beside the task is only named there.
            ["issueType"] = "freeform",
            ["issue"] = $"{fixture.Manifest.Task.Title}: {fixture.Manifest.Task.Body}".ReplaceLineEndings(" "),
        });
        File.WriteAllText(Path.Combine(tasks, $"{taskId}.md"), $"# {fixture.Manifest.Task.Title}\n\n{fixture.Manifest.Task.Body}\n");
        return taskFile;
    }

    /// <summary>The allow-list, the run's private folders, Case's one key variable, and the lane's own variables.</summary>
    private static Dictionary<string, string> Environment(string? excludedRoot, CaseModel model, ProviderLaunch launch, PrivateFolders folders)
    {
        var environment = AllowedEnvironment.FromCurrentProcess(excludedRoot);
        environment["HOME"] = folders.Home;
        environment["USERPROFILE"] = folders.Home;
        environment["XDG_CONFIG_HOME"] = folders.XdgConfig;
        environment["CASE_DATA_DIR"] = folders.CaseData;
        environment["PI_CODING_AGENT_DIR"] = folders.AgentDirectory;
        environment["TMPDIR"] = folders.Temp;
        environment["TMP"] = folders.Temp;
        environment["TEMP"] = folders.Temp;
        // What the agent builds (a .NET fixture) starts no build server or reusable node; the run names its package
        // folders (the baseline's, read-only) and caches.
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
        if (model is { KeyVariable: { } keyVariable, KeyValue: { } keyValue })
        {
            environment[keyVariable] = keyValue;
        }
        foreach (var (name, value) in launch.LaneEnvironment)
        {
            environment[name] = value;
        }
        return environment;
    }

    private static JsonObject CaseConfig(CaseModel model)
    {
        var models = new JsonObject { ["default"] = Pair(model) };
        foreach (var role in Roles)
        {
            models[role] = Pair(model);
        }
        return new JsonObject { ["models"] = models };
    }

    private static JsonObject Pair(CaseModel model) => new() { ["provider"] = model.Provider, ["model"] = model.Model };

    private static JsonObject Projects(Fixture fixture, string workspace)
    {
        var project = fixture.Manifest.Project;
        var repo = new JsonObject
        {
            ["name"] = fixture.Id,
            ["path"] = workspace,
            ["type"] = "library",
            ["language"] = project.Language,
            ["packageManager"] = project.PackageManager,
            ["commands"] = new JsonObject { ["setup"] = project.SetupCommand ?? "", ["test"] = project.TestCommand ?? "" },
            ["description"] = fixture.Manifest.Description,
        };
        return new JsonObject { ["repos"] = new JsonArray(repo) };
    }

    private static JsonObject ModelsJson(CaseModel model) => new()
    {
        ["providers"] = new JsonObject
        {
            [model.Provider] = new JsonObject
            {
                ["baseUrl"] = model.BaseUrl,
                ["api"] = model.Api,
                // Case never hands this key to its agents (docs/case-contract.md); it is only required to be present.
                ["apiKey"] = CaseModel.PlaceholderKey,
                ["models"] = new JsonArray(new JsonObject { ["id"] = model.Model, ["contextWindow"] = model.ContextWindow, ["maxTokens"] = model.MaxTokens }),
            },
        },
    };

    private static string Create(params string[] parts)
    {
        var path = Path.Combine(parts);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void WriteJson(string path, JsonNode node) =>
        JsonFiles.WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(JsonFiles.Options) + "\n"));
}
