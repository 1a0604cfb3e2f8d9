namespace CtoHarness.Contracts;

/// <summary>
/// What a model's tokens cost, per million, in the set's currency (<c>CtoHarnessCurrency</c>). Cached input is the part of
/// the prompt the API reports as read from its cache; without its own price it costs what other input costs.
/// </summary>
public sealed record ModelPrices(decimal InputPerMTok, decimal OutputPerMTok, decimal? CachedInputPerMTok = null)
{
    public const string DefaultCurrency = "USD";

    /// <summary>The price of one call: uncached input, cached input and output, each at its price.</summary>
    public decimal CostOf(long promptTokens, long cachedTokens, long completionTokens)
    {
        var cached = Math.Clamp(cachedTokens, 0, Math.Max(0, promptTokens));
        return ((promptTokens - cached) * InputPerMTok + cached * (CachedInputPerMTok ?? InputPerMTok) + completionTokens * OutputPerMTok) / 1_000_000m;
    }

    /// <summary>
    /// The total of runs' costs, or null: when a run that talked to a model had no price (one unknown cost makes the
    /// total unknown, never a smaller sum), or when no run talked to a priced model.
    /// </summary>
    public static decimal? Total(IEnumerable<(bool TalkedToModel, decimal? Cost)> runs)
    {
        var list = runs.ToList();
        return list.Any(r => r.TalkedToModel && r.Cost is null) || list.All(r => r.Cost is null) ? null : list.Sum(r => r.Cost ?? 0);
    }

    public decimal CostOf(ModelExchange exchange) =>
        CostOf(exchange.PromptTokens ?? 0, exchange.CachedTokens ?? 0, exchange.CompletionTokens ?? 0);
}

/// <summary>report.json <c>model.cost</c>: what a run's model calls cost at the declared prices.</summary>
public sealed class ModelCost
{
    public string Currency { get; set; } = ModelPrices.DefaultCurrency;
    public decimal InputPerMTok { get; set; }
    public decimal OutputPerMTok { get; set; }
    public decimal? CachedInputPerMTok { get; set; }
    public decimal Total { get; set; }
    public Dictionary<string, decimal> PerAgent { get; set; } = [];

    /// <summary>The cost of the calls the relay saw; null when no prices were declared (no price is never 0).</summary>
    public static ModelCost? Of(IReadOnlyList<ModelExchange> exchanges, ModelPrices? prices, string currency)
    {
        if (prices is null)
        {
            return null;
        }
        var cost = new ModelCost
        {
            Currency = currency,
            InputPerMTok = prices.InputPerMTok,
            OutputPerMTok = prices.OutputPerMTok,
            CachedInputPerMTok = prices.CachedInputPerMTok,
        };
        foreach (var exchange in exchanges)
        {
            var price = prices.CostOf(exchange);
            cost.PerAgent[exchange.Agent] = cost.PerAgent.GetValueOrDefault(exchange.Agent) + price;
            cost.Total += price;
        }
        return cost;
    }
}

/// <summary>Amounts of money as the harness writes them: invariant, up to six decimals, no trailing zeros.</summary>
public static class Money
{
    public static string Format(decimal amount) => Math.Round(amount, 6).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(decimal? amount, string currency) => amount is { } value ? $"{Format(value)} {currency}" : "no price";
}
