using CtoHarness.Backend;
using CtoHarness.Protocol;

namespace CtoHarness.Models;

/// <summary>The API styles the relay can serve, and what Case needs for each: a provider it authenticates and its key variable.</summary>
public static class ModelApis
{
    private sealed record Style(string CaseProvider, string KeyVariable, string? KnownEndpoint, bool BearerKey);

    private static readonly Dictionary<string, Style> Styles = new(StringComparer.Ordinal)
    {
        [ApiStyles.OpenAiCompletions] = new("openai", "OPENAI_API_KEY", "https://api.openai.com/v1", BearerKey: true),
        [ApiStyles.OpenAiResponses] = new("openai", "OPENAI_API_KEY", "https://api.openai.com/v1", BearerKey: true),
        [ApiStyles.AnthropicMessages] = new("anthropic", "ANTHROPIC_API_KEY", "https://api.anthropic.com", BearerKey: false),
    };

    /// <summary>A model the harness serves (scripted, replayed), configured for Case in an API style: the provider Case authenticates for it and its key variable.</summary>
    public static CaseModel ConfiguredFor(CaseModel model, string api) =>
        model with { Provider = CaseProviderOf(api) ?? model.Provider, Api = api, KeyVariable = CaseKeyVariableOf(api) };

    public static IReadOnlyCollection<string> Supported => Styles.Keys;

    public static bool IsSupported(string api) => Styles.ContainsKey(api);

    public static string? CaseProviderOf(string api) => Styles.GetValueOrDefault(api)?.CaseProvider;

    /// <summary>The variable Case reads the key of its provider from; it only ever gets a placeholder.</summary>
    public static string CaseKeyVariableOf(string api) => Styles.GetValueOrDefault(api)?.KeyVariable ?? "OPENAI_API_KEY";

    public static string? KnownEndpointOf(string api) => Styles.GetValueOrDefault(api)?.KnownEndpoint;

    /// <summary>The header the relay sends the real key in.</summary>
    public static (string Name, string Value) CredentialHeader(string api, string key) =>
        Styles.GetValueOrDefault(api)?.BearerKey == false ? ("x-api-key", key) : ("Authorization", $"Bearer {key}");
}
