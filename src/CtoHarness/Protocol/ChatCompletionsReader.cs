using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>
/// OpenAI chat completions (<c>openai-completions</c>): <c>data: {chunk}</c> events whose <c>choices[].delta</c> carry text
/// and <c>tool_calls</c>, a <c>finish_reason</c>, usage in a (possibly usage-only) chunk, and <c>data: [DONE]</c>; or one
/// JSON body with <c>choices[].message</c>.
/// </summary>
public sealed class ChatCompletionsReader : AnswerReader
{
    protected override void OnEvent(string? name, string data)
    {
        if (data == "[DONE]")
        {
            Ended = true;
            return;
        }
        Parse(data, root => Read(root, streamed: true));
    }

    protected override void OnBody(JsonElement body)
    {
        Read(body, streamed: false);
        Ended = Error is null && FinishReason is not null;
    }

    private void Read(JsonElement root, bool streamed)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        ReadError(root);
        var usage = Child(root, "usage");
        PromptTokens = Number(usage, "prompt_tokens") ?? PromptTokens;
        CompletionTokens = Number(usage, "completion_tokens") ?? CompletionTokens;
        CachedTokens = Number(Child(usage, "prompt_tokens_details"), "cached_tokens") ?? CachedTokens;
        if (Child(root, "choices") is not { ValueKind: JsonValueKind.Array } choices)
        {
            return;
        }
        foreach (var choice in choices.EnumerateArray())
        {
            if (Text(choice, "finish_reason") is { } finish)
            {
                FinishReason = finish;
                Ended |= streamed;
            }
            var message = Child(choice, streamed ? "delta" : "message");
            if (Text(message, "content") is { } content)
            {
                AppendText(content);
            }
            if (Child(message, "tool_calls") is { ValueKind: JsonValueKind.Array } calls)
            {
                var position = 0;
                foreach (var call in calls.EnumerateArray())
                {
                    var key = $"{Number(choice, "index") ?? 0}:{Number(call, "index") ?? (streamed ? 0 : position)}:{(streamed ? "" : ToolCalls.Count)}";
                    position++;
                    var function = Child(call, "function");
                    if (Text(function, "name") is { Length: > 0 } tool)
                    {
                        BeginCall(key, tool);
                    }
                    AppendArguments(key, Text(function, "arguments"));
                }
            }
        }
    }
}
