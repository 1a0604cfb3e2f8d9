namespace CtoHarness.Backend;

/// <summary>
/// The model as Case must be configured for it: the pair written to config.json, and, for a model Case
/// does not know, the models.json provider entry that declares it.
/// </summary>
public sealed record CaseModel(string Provider, string Model, string? BaseUrl, string Api, string? ApiKey)
{
    /// <summary>The fake lane's model: declared like a local model so the same files are exercised.</summary>
    public static CaseModel Fake { get; } = new("openai", "ctoharness-fake-model", "http://127.0.0.1:9/v1", "openai-completions", "ctoharness-placeholder-key");
}
