namespace CtoHarness.Protocol;

/// <summary>The API styles Case speaks, each known by the path its requests take.</summary>
public static class ApiStyles
{
    public const string OpenAiCompletions = "openai-completions";
    public const string OpenAiResponses = "openai-responses";
    public const string AnthropicMessages = "anthropic-messages";

    public static IReadOnlyList<string> All { get; } = [OpenAiCompletions, OpenAiResponses, AnthropicMessages];

    /// <summary>
    /// The base URL a client of this style is given for a server at <paramref name="origin"/>: Anthropic's clients take
    /// the root and add <c>/v1/messages</c> themselves; OpenAI's take the <c>/v1</c> base.
    /// </summary>
    public static string BaseUrl(string origin, string? style) => style == AnthropicMessages ? origin : $"{origin}/v1";

    /// <summary>The API's model list, below a base URL of this style (listing models runs no model).</summary>
    public static string ModelsPath(string? style) => style == AnthropicMessages ? "/v1/models" : "/models";

    /// <summary>The style of a request by its path (<c>…/chat/completions</c>, <c>…/responses</c>, <c>…/messages</c>), or null for any other call.</summary>
    public static string? OfPath(string path)
    {
        var bare = path.Split('?')[0].TrimEnd('/');
        return bare.EndsWith("/chat/completions", StringComparison.Ordinal) ? OpenAiCompletions
            : bare.EndsWith("/responses", StringComparison.Ordinal) ? OpenAiResponses
            : bare.EndsWith("/messages", StringComparison.Ordinal) ? AnthropicMessages
            : null;
    }

    /// <summary>A writer of answers in this style (chat completions for anything else).</summary>
    public static AnswerWriter WriterFor(string? style, System.Net.HttpListenerResponse response, string model, int promptBytes) => style switch
    {
        OpenAiResponses => new OpenAiResponsesWriter(response, model, promptBytes),
        AnthropicMessages => new AnthropicMessagesWriter(response, model, promptBytes),
        _ => new ChatCompletionsWriter(response, model, promptBytes),
    };

    /// <summary>A reader for the answer to a request of this style (chat completions for anything else, as the relay always read).</summary>
    public static AnswerReader ReaderFor(string? style) => style switch
    {
        OpenAiResponses => new OpenAiResponsesReader(),
        AnthropicMessages => new AnthropicMessagesReader(),
        _ => new ChatCompletionsReader(),
    };
}
