using System.Text.Json.Serialization;

namespace CtoHarness.Contracts;

/// <summary>One request from Case to its model and what came back: a line of backend/model/exchanges.jsonl.</summary>
public sealed class ModelExchange
{
    public int Sequence { get; set; }
    /// <summary>The agent, from the first heading of the system prompt (<c>implementer</c>, <c>reviewer</c>, …).</summary>
    public string Agent { get; set; } = "unknown";
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public long? FirstByteMs { get; set; }
    public long? LastByteMs { get; set; }
    public int? Status { get; set; }
    /// <summary>Why no (complete) answer came: a socket error, a cut stream, a budget refusal.</summary>
    public string? TransportError { get; set; }
    /// <summary>True when the relay refused the call because a budget was spent; it never reached the model.</summary>
    public bool RefusedByBudget { get; set; }
    public string? ContentType { get; set; }
    public long RequestBytes { get; set; }
    public long ResponseBytes { get; set; }
    /// <summary>The API style of the call (<c>openai-completions</c>, <c>openai-responses</c>, <c>anthropic-messages</c>), or null for any other call.</summary>
    public string? Api { get; set; }
    /// <summary>Every input token the model read, cached ones included, as the endpoint reported them.</summary>
    public long? PromptTokens { get; set; }
    public long? CompletionTokens { get; set; }
    /// <summary>Of the prompt tokens, those the API reports as read from its cache.</summary>
    public long? CachedTokens { get; set; }
    /// <summary>An error the API reported in its own envelope (<c>type: message</c>, e.g. <c>overloaded_error: Overloaded</c>).</summary>
    public string? ApiError { get; set; }

    /// <summary>Prompt and completion tokens together, as the endpoint reported them (0 when it did not).</summary>
    [JsonIgnore]
    public long Tokens => (PromptTokens ?? 0) + (CompletionTokens ?? 0);
    public string? FinishReason { get; set; }
    public List<string> ToolCalls { get; set; } = [];
    /// <summary>Whether the assistant's text holds a well-formed AGENT_RESULT block; null for tool-call turns.</summary>
    public bool? ResultBlock { get; set; }
    public string? RequestBody { get; set; }
    public string? ResponseBody { get; set; }

    /// <summary>The end of the assistant's text, kept in memory for the protocol marker (the body file has it all).</summary>
    [JsonIgnore]
    public string TextTail { get; set; } = "";

    [JsonIgnore]
    public bool Answered => TransportError is null && ApiError is null && Status is >= 200 and < 300;

    /// <summary>The endpoint could not be reached, refused the caller or the model, or failed: the model never answered this call.</summary>
    [JsonIgnore]
    public bool EndpointFailed => !RefusedByBudget && (TransportError is not null || (ApiError is not null && Status is >= 200 and < 300) || Status is 401 or 403 or 404 or >= 500);

    public string Describe() =>
        RefusedByBudget ? $"refused by the relay: {TransportError}"
        : TransportError is not null ? TransportError
        : ApiError is not null ? $"HTTP {Status}, the API's error {ApiError}"
        : $"HTTP {Status}";
}
