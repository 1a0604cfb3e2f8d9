using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtoHarness.Backend;

/// <summary>
/// Re-reads what was written for Case, as Case will read it, before Case starts: config.json names the
/// configured pair for the default and every role, projects.json has the workspace, models.json (when a
/// model must be declared) parses and declares the model with baseUrl, api and apiKey. Returns the problems.
/// </summary>
public static class CaseConfigurationCheck
{
    public static IReadOnlyList<string> Problems(BackendSetup setup, CaseModel model, string repoName)
    {
        var problems = new List<string>();
        var config = Read(setup.ConfigFile, problems);
        foreach (var key in CaseBackend.Roles.Prepend("default"))
        {
            var pair = config?["models"]?[key];
            if (Text(pair, "provider") != model.Provider || Text(pair, "model") != model.Model)
            {
                problems.Add($"config.json models.{key} is not {model.Provider}/{model.Model}");
            }
        }

        var projects = Read(setup.ProjectsFile, problems);
        var repo = (projects?["repos"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => Text(r, "name") == repoName);
        if (repo is null || Text(repo, "path") != setup.WorkingDirectory)
        {
            problems.Add($"projects.json does not map '{repoName}' to the workspace");
        }

        if (model.BaseUrl is not null)
        {
            var declared = Read(setup.ModelsFile, problems)?["providers"]?[model.Provider];
            if (Text(declared, "baseUrl") != model.BaseUrl || Text(declared, "api") != model.Api || string.IsNullOrEmpty(Text(declared, "apiKey")))
            {
                problems.Add($"models.json does not declare provider '{model.Provider}' with baseUrl {model.BaseUrl}, api {model.Api} and an apiKey");
            }
            else if ((declared?["models"] as JsonArray)?.Any(m => Text(m, "id") == model.Model) != true)
            {
                problems.Add($"models.json does not declare model '{model.Model}' under provider '{model.Provider}'");
            }
        }
        return problems;
    }

    private static JsonNode? Read(string? path, List<string> problems)
    {
        if (path is null || !File.Exists(path))
        {
            problems.Add($"{Path.GetFileName(path) ?? "a configuration file"} was not written");
            return null;
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            problems.Add($"{Path.GetFileName(path)} does not parse: {e.Message}");
            return null;
        }
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
