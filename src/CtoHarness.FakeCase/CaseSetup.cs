using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtoHarness.FakeCase;

/// <summary>
/// Reads what real Case reads, from where it reads it, and refuses what it refuses:
/// config.json (models.default, else the built-in default model), projects.json, the task file, models.json.
/// </summary>
internal sealed class CaseSetup
{
    public const string DefaultProvider = "anthropic";
    public const string DefaultModel = "claude-sonnet-4-6";

    private static readonly Dictionary<string, string> BuiltInKeyVariables = new()
    {
        ["anthropic"] = "ANTHROPIC_API_KEY",
        ["openai"] = "OPENAI_API_KEY",
        ["google"] = "GEMINI_API_KEY",
        ["openai-codex"] = "OPENAI_API_KEY",
    };

    private static readonly HashSet<string> BuiltInModels = ["anthropic/claude-sonnet-4-6", "openai-codex/gpt-5.5", "openai/gpt-5.5"];

    public required string DataDirectory { get; init; }
    public required string AgentDirectory { get; init; }
    public required string TaskFile { get; init; }
    public required JsonObject Task { get; init; }
    public required string RepoName { get; init; }
    public required string RepoPath { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string Profile { get; init; }

    /// <summary>The API key variable Case would hand its agents; a custom provider name has none.</summary>
    public string? ApiKey =>
        BuiltInKeyVariables.TryGetValue(Provider, out var variable) && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } key ? key : null;

    public static CaseSetup Load(string taskFile)
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var dataDirectory = Environment.GetEnvironmentVariable("CASE_DATA_DIR") is { Length: > 0 } data
            ? data
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".config"), "case");
        var agentDirectory = Environment.GetEnvironmentVariable("PI_CODING_AGENT_DIR") is { Length: > 0 } agent
            ? agent
            : Path.Combine(home, ".pi", "agent");

        // Like real Case, even reading configuration leaves these behind.
        Directory.CreateDirectory(agentDirectory);
        File.WriteAllText(Path.Combine(agentDirectory, "auth.json"), "{}");
        Directory.CreateDirectory(Path.Combine(dataDirectory, "pi-package"));
        File.WriteAllText(Path.Combine(dataDirectory, "pi-package", "package.json"), "{\"name\":\"pi-package\",\"private\":true}");

        var configPath = Path.Combine(dataDirectory, "config.json");
        var config = ReadObject(configPath, $"Config file not found: {configPath}");
        var projectsPath = config["projects"]?.GetValue<string>() ?? Path.Combine(dataDirectory, "projects.json");
        var projects = ReadObject(projectsPath, $"projects.json not found at {projectsPath}");
        if (!File.Exists(taskFile))
        {
            throw new CaseFatalException($"Task file not found: {taskFile}");
        }
        var task = ReadObject(taskFile, $"Task file not found: {taskFile}");
        var repoName = task["repo"]?.GetValue<string>() ?? throw new CaseFatalException($"Task {taskFile} has no repo");
        var repo = (projects["repos"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r["name"]?.GetValue<string>() == repoName)
                   ?? throw new CaseFatalException($"Repo \"{repoName}\" not found in {projectsPath}");
        var repoPath = repo["path"]?.GetValue<string>() ?? throw new CaseFatalException($"Repo \"{repoName}\" has no path");

        var pair = config["models"]?["default"] as JsonObject;
        var provider = pair?["provider"]?.GetValue<string>() ?? DefaultProvider;
        var model = pair?["model"]?.GetValue<string>() ?? DefaultModel;
        if (!BuiltInModels.Contains($"{provider}/{model}") && !DeclaredInModelsJson(agentDirectory, provider, model))
        {
            throw new CaseFatalException($"Model not found: {provider}/{model}");
        }

        return new CaseSetup
        {
            DataDirectory = dataDirectory,
            AgentDirectory = agentDirectory,
            TaskFile = taskFile,
            Task = task,
            RepoName = repoName,
            RepoPath = repoPath,
            Provider = provider,
            Model = model,
            Profile = task["profile"]?.GetValue<string>() ?? "standard",
        };
    }

    public void SetTaskStatus(string status)
    {
        Task["status"] = status;
        File.WriteAllText(TaskFile, Task.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>An invalid models.json is ignored silently, exactly like Case: the model is then just not found.</summary>
    private static bool DeclaredInModelsJson(string agentDirectory, string provider, string model)
    {
        try
        {
            var models = JsonNode.Parse(File.ReadAllText(Path.Combine(agentDirectory, "models.json")));
            var entry = models?["providers"]?[provider] as JsonObject;
            if (entry is null || entry["baseUrl"] is null || entry["apiKey"] is null || entry["api"] is null)
            {
                return false;
            }
            return (entry["models"] as JsonArray)?.Any(m => m?["id"]?.GetValue<string>() == model) == true;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static JsonObject ReadObject(string path, string missing)
    {
        if (!File.Exists(path))
        {
            throw new CaseFatalException(missing);
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CaseFatalException($"{path} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CaseFatalException($"Failed to parse {path}: {e.Message}");
        }
    }
}
