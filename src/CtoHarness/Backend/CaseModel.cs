namespace CtoHarness.Backend;

/// <summary>
/// The model as Case must be configured for it: the pair written to config.json; for a model Case does
/// not know, the models.json entry that declares it (base URL, API style); and the one key variable Case
/// receives, if any.
/// </summary>
public sealed record CaseModel(string Provider, string Model)
{
    public string? BaseUrl { get; init; }
    public string Api { get; init; } = "openai-completions";
    public string? KeyVariable { get; init; }
    public string? KeyValue { get; init; }
    /// <summary>False for the harness's own placeholder keys; true keys are masked in every evidence file.</summary>
    public bool KeyIsSecret { get; init; }
    /// <summary>
    /// For a provider Case knows: models.json only redirects it to <see cref="BaseUrl"/> (an override-only entry,
    /// CASE-CONTRACT "Model traffic"), instead of declaring a model.
    /// </summary>
    public bool OverrideOnly { get; init; }
    /// <summary>Where a non-local pair's model lives, when the admitted pair says so (the relay forwards there).</summary>
    public string? Upstream { get; init; }

    /// <summary>A non-secret placeholder: Case only needs some key to send requests to a local endpoint.</summary>
    public const string PlaceholderKey = "ctoharness-local-placeholder-key";

    /// <summary>The scripted model of the case-scripted lane; its base URL is the server the run starts.</summary>
    public static CaseModel Scripted { get; } = new("openai", ScriptedModel.ScriptedModelServer.ModelId)
    {
        KeyVariable = "OPENAI_API_KEY",
        KeyValue = PlaceholderKey,
    };

    /// <summary>The fake lane's model: declared like a local model so the same files are exercised.</summary>
    public static CaseModel Fake { get; } = new("openai", "ctoharness-fake-model")
    {
        BaseUrl = "http://127.0.0.1:9/v1",
        KeyVariable = "OPENAI_API_KEY",
        KeyValue = PlaceholderKey,
    };
}
