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
    /// <summary>A local endpoint (checked with <c>GET …/models</c> before Case starts); false for a hosted one.</summary>
    public bool Local { get; init; }
    public int ContextWindow { get; init; } = 131072;
    public int MaxTokens { get; init; } = 8192;
    /// <summary>A PEM root certificate the relay trusts for this endpoint (a private CA); null: the system's roots.</summary>
    public string? TrustedCertificate { get; init; }
    /// <summary>The pair's declared prices (null: no price; its runs' cost is not known, never 0).</summary>
    public Contracts.ModelPrices? Prices { get; init; }

    /// <summary>A non-secret placeholder: Case only needs some key to send requests to a local endpoint.</summary>
    public const string PlaceholderKey = "ctoharness-local-placeholder-key";

    /// <summary>The scripted model of the case-scripted lane; its base URL is the server the run starts.</summary>
    public static CaseModel Scripted { get; } = new("openai", ScriptedModel.ScriptedModelServer.ModelId)
    {
        KeyVariable = "OPENAI_API_KEY",
        KeyValue = PlaceholderKey,
    };

    /// <summary>The model a replay is configured with: the one the cassette was recorded with, at the cassette player.</summary>
    public static CaseModel Replayed(string model) => new("openai", model)
    {
        Local = true,
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
