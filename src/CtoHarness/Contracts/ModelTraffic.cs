namespace CtoHarness.Contracts;

/// <summary>report.json <c>model.traffic</c>: what went over the wire between Case and its model in one run.</summary>
public sealed class ModelTraffic
{
    public int Calls { get; set; }
    public Dictionary<string, AgentTraffic> PerAgent { get; set; } = [];
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    /// <summary>Of the prompt tokens, those the API reported as read from its cache (0 when it reports none).</summary>
    public long CachedTokens { get; set; }
    public int Errors { get; set; }
    public string? FirstError { get; set; }
    /// <summary>Where the relay listened (loopback) and where it forwarded to.</summary>
    public string RelayUrl { get; set; } = "";
    public string Upstream { get; set; } = "";
    public string ExchangesLog { get; set; } = "";

    public long TotalTokens => PromptTokens + CompletionTokens;

    public static ModelTraffic Of(IReadOnlyList<ModelExchange> exchanges, string relayUrl, string upstream, string exchangesLog)
    {
        var traffic = new ModelTraffic { RelayUrl = relayUrl, Upstream = upstream, ExchangesLog = exchangesLog, Calls = exchanges.Count };
        foreach (var exchange in exchanges)
        {
            var agent = traffic.PerAgent.TryGetValue(exchange.Agent, out var known) ? known : traffic.PerAgent[exchange.Agent] = new AgentTraffic();
            agent.Calls++;
            agent.PromptTokens += exchange.PromptTokens ?? 0;
            agent.CompletionTokens += exchange.CompletionTokens ?? 0;
            agent.CachedTokens += exchange.CachedTokens ?? 0;
            traffic.PromptTokens += exchange.PromptTokens ?? 0;
            traffic.CompletionTokens += exchange.CompletionTokens ?? 0;
            traffic.CachedTokens += exchange.CachedTokens ?? 0;
            if (!exchange.Answered)
            {
                traffic.Errors++;
                traffic.FirstError ??= $"call {exchange.Sequence} ({exchange.Agent}): {exchange.Describe()}";
            }
        }
        return traffic;
    }
}

public sealed class AgentTraffic
{
    public int Calls { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public long CachedTokens { get; set; }
}
