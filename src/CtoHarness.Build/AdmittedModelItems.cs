using CtoHarness.Contracts;
using CtoHarness.Models;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>Reads CtoHarnessAdmittedModel items; a malformed one is a configuration error (CTOH012).</summary>
internal static class AdmittedModelItems
{
    public static IReadOnlyList<AdmittedModel> Read(ITaskItem[] items, CodedErrors errors)
    {
        var models = new List<AdmittedModel>();
        foreach (var item in items)
        {
            var local = item.GetMetadata("Local");
            if (AdmittedModel.Parse(item.ItemSpec) is not { } pair || (local.Length > 0 && !bool.TryParse(local, out _)))
            {
                errors.Configuration(new ConfigurationError(Diagnostics.AdmittedModelMalformed.Code,
                    $"CtoHarnessAdmittedModel '{item.ItemSpec}' must be 'provider/model' with Local=\"true\" or \"false\" (got Local=\"{local}\")."));
                continue;
            }
            models.Add(pair with
            {
                Local = local.Length > 0 && bool.Parse(local),
                CaseProvider = Optional(item, "CaseProvider"),
                Api = Optional(item, "Api") ?? "openai-completions",
                KeyVariable = Optional(item, "KeyVariable"),
                BaseUrl = Optional(item, "BaseUrl"),
                ContextWindow = Count(item, "ContextWindow", errors),
                MaxTokens = Count(item, "MaxTokens", errors),
                TrustedCertificate = Optional(item, "TrustedCertificate"),
                Prices = Prices(item, errors),
            });
        }
        return models;
    }

    /// <summary>InputPricePerMTok and OutputPricePerMTok together (CachedInputPricePerMTok optional), or none of them.</summary>
    private static ModelPrices? Prices(ITaskItem item, CodedErrors errors)
    {
        var (input, output, cached) = (Price(item, "InputPricePerMTok", errors), Price(item, "OutputPricePerMTok", errors), Price(item, "CachedInputPricePerMTok", errors));
        if (input is null && output is null && cached is null)
        {
            return null;
        }
        if (input is null || output is null)
        {
            errors.Configuration(new ConfigurationError(Diagnostics.AdmittedModelMalformed.Code,
                $"CtoHarnessAdmittedModel '{item.ItemSpec}' declares some prices but not both InputPricePerMTok and OutputPricePerMTok; a run is priced only with both."));
            return null;
        }
        return new ModelPrices(input.Value, output.Value, cached);
    }

    private static decimal? Price(ITaskItem item, string name, CodedErrors errors)
    {
        if (Optional(item, name) is not { } text)
        {
            return null;
        }
        if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value) && value <= 1_000_000m)
        {
            return value;
        }
        errors.Configuration(new ConfigurationError(Diagnostics.AdmittedModelMalformed.Code,
            $"CtoHarnessAdmittedModel '{item.ItemSpec}' has {name}=\"{text}\"; it must be a price per million tokens, a number such as 3 or 0.30."));
        return null;
    }

    private static string? Optional(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } value ? value : null;

    private static int? Count(ITaskItem item, string name, CodedErrors errors)
    {
        if (Optional(item, name) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }
        errors.Configuration(new ConfigurationError(Diagnostics.AdmittedModelMalformed.Code, $"CtoHarnessAdmittedModel '{item.ItemSpec}' has {name}=\"{text}\"; it must be a whole number of tokens of at least 1."));
        return null;
    }
}
