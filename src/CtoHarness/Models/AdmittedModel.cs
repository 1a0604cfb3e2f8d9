namespace CtoHarness.Models;

/// <summary>
/// One CtoHarnessAdmittedModel item: a provider/model pair Case may use, and how the harness configures
/// Case for it. A local pair is served by an OpenAI-compatible endpoint and is written for Case under
/// provider <c>openai</c> (a custom provider name can never authenticate in Case).
/// </summary>
public sealed record AdmittedModel(string Provider, string Model)
{
    public bool Local { get; init; }
    /// <summary>The provider name written to Case's config.json; default <c>openai</c> for local pairs, else <see cref="Provider"/>.</summary>
    public string? CaseProvider { get; init; }
    public string Api { get; init; } = "openai-completions";
    /// <summary>The variable holding a non-local pair's key; the relay puts its value on upstream requests, Case gets a placeholder.</summary>
    public string? KeyVariable { get; init; }
    /// <summary>A hosted pair's endpoint (e.g. <c>https://api.openai.com/v1</c>); unset: the known endpoint of its API style.</summary>
    public string? BaseUrl { get; init; }
    /// <summary>The model's context window and output limit, declared to Case (default 131072 and 8192).</summary>
    public int? ContextWindow { get; init; }
    public int? MaxTokens { get; init; }
    /// <summary>A PEM certificate the relay trusts as the root for this pair's https endpoint (a private CA).</summary>
    public string? TrustedCertificate { get; init; }
    /// <summary>InputPricePerMTok, OutputPricePerMTok and CachedInputPricePerMTok, in the set's currency; null: no price.</summary>
    public Contracts.ModelPrices? Prices { get; init; }

    public string Pair => $"{Provider}/{Model}";

    /// <summary>
    /// The provider Case is configured with: one whose key Case can read (Case authenticates only providers of its
    /// built-in key map, never a custom name): <c>openai</c> for the OpenAI API styles, <c>anthropic</c> for
    /// anthropic-messages, unless CaseProvider says otherwise.
    /// </summary>
    public string EffectiveCaseProvider => string.IsNullOrWhiteSpace(CaseProvider) ? ModelApis.CaseProviderOf(Api) ?? Provider : CaseProvider;

    /// <summary>Parses <c>provider/model</c> exactly as written (nothing is trimmed); the model part may itself contain '/'.</summary>
    public static AdmittedModel? Parse(string pair)
    {
        var slash = pair.IndexOf('/');
        return slash <= 0 || slash == pair.Length - 1 ? null : new AdmittedModel(pair[..slash], pair[(slash + 1)..]);
    }
}
