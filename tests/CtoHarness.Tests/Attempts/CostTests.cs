using CtoHarness.Contracts;

namespace CtoHarness.Tests.Attempts;

[Trait("Layer", "Unit")]
public sealed class CostTests
{
    [Fact]
    public void A_call_costs_its_uncached_input_cached_input_and_output_each_at_its_price()
    {
        var prices = new ModelPrices(InputPerMTok: 3m, OutputPerMTok: 15m, CachedInputPerMTok: 0.3m);

        // 10,000 prompt tokens of which 4,000 cached, 2,000 completion: 6000*3 + 4000*0.3 + 2000*15 per million.
        Assert.Equal(0.0492m, prices.CostOf(10_000, 4_000, 2_000));
        // Without a cached price, cached input costs what other input costs.
        Assert.Equal(0.06m, new ModelPrices(3m, 15m).CostOf(10_000, 4_000, 2_000));
    }

    [Fact]
    public void A_run_is_costed_per_agent_and_in_all_and_with_no_price_its_cost_is_unknown_not_zero()
    {
        ModelExchange Call(string agent, long prompt, long cached, long completion) =>
            new() { Agent = agent, PromptTokens = prompt, CachedTokens = cached, CompletionTokens = completion, Status = 200 };
        var exchanges = new[] { Call("implementer", 1_000_000, 0, 100_000), Call("implementer", 500_000, 500_000, 0), Call("reviewer", 200_000, 0, 10_000) };

        var cost = ModelCost.Of(exchanges, new ModelPrices(2m, 8m, 0.5m), "EUR")!;

        Assert.Equal("EUR", cost.Currency);
        Assert.Equal(2m + 0.8m + 0.25m, cost.PerAgent["implementer"]);
        Assert.Equal(0.4m + 0.08m, cost.PerAgent["reviewer"]);
        Assert.Equal(3.53m, cost.Total);
        Assert.Null(ModelCost.Of(exchanges, null, "EUR"));
    }

    [Fact]
    public void A_total_with_one_unpriced_model_run_is_unknown_and_runs_without_a_model_add_nothing()
    {
        Assert.Equal(0.5m, ModelPrices.Total([(true, 0.2m), (true, 0.3m), (false, null)]));
        Assert.Null(ModelPrices.Total([(true, 0.2m), (true, null)]));
        Assert.Null(ModelPrices.Total([(false, null), (false, null)]));
        Assert.Equal("no price", Money.Format(null, "USD"));
        Assert.Equal("0.0492 USD", Money.Format(0.0492m, "USD"));
    }
}
