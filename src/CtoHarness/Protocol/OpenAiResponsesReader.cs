using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>
/// OpenAI Responses (<c>openai-responses</c>): <c>response.output_text.delta</c>, <c>response.output_item.added</c> (a
/// <c>function_call</c> item names its tool), <c>response.completed</c> or <c>response.incomplete</c> (the response with
/// its <c>usage</c>), <c>response.failed</c> and <c>error</c>; no <c>[DONE]</c>. Or one JSON body (<c>object: response</c>).
/// </summary>
public sealed class OpenAiResponsesReader : AnswerReader
{
    protected override void OnEvent(string? name, string data) => Parse(data, root =>
    {
        switch (name ?? Text(root, "type"))
        {
            case "response.output_text.delta":
                AppendText(Text(root, "delta") ?? "");
                break;
            case "response.output_item.added":
                Item(Child(root, "item"), $"{Number(root, "output_index")}", streamed: true);
                break;
            case "response.function_call_arguments.delta":
                AppendArguments($"{Number(root, "output_index")}", Text(root, "delta"));
                break;
            case "response.completed" or "response.incomplete":
                Finished(Child(root, "response"));
                Ended = true;
                break;
            case "response.failed":
                ReadError(Child(root, "response"));
                Error ??= "response.failed";
                break;
            case "error":
                Error = $"{Text(root, "code") ?? "error"}: {Text(root, "message") ?? ""}".TrimEnd(' ', ':');
                break;
        }
    });

    protected override void OnBody(JsonElement body)
    {
        ReadError(body);
        if (Text(body, "object") != "response")
        {
            return;
        }
        if (Child(body, "output") is { ValueKind: JsonValueKind.Array } items)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                Item(item, $"{index++}", streamed: false);
            }
        }
        Finished(body);
        Ended = Error is null && Text(body, "status") is "completed" or "incomplete";
    }

    /// <summary>A streamed item's text and arguments arrive as deltas; a whole one carries them.</summary>
    private void Item(JsonElement item, string key, bool streamed)
    {
        if (Text(item, "type") == "function_call" && Text(item, "name") is { Length: > 0 } tool)
        {
            BeginCall(key, tool, streamed ? null : Text(item, "arguments"));
        }
        if (!streamed && Text(item, "type") == "message" && Child(item, "content") is { ValueKind: JsonValueKind.Array } parts)
        {
            foreach (var part in parts.EnumerateArray().Where(p => Text(p, "type") == "output_text"))
            {
                AppendText(Text(part, "text") ?? "");
            }
        }
    }

    private void Finished(JsonElement response)
    {
        var status = Text(response, "status");
        var reason = Text(Child(response, "incomplete_details"), "reason");
        FinishReason = reason is null ? status : $"{status}: {reason}";
        var usage = Child(response, "usage");
        PromptTokens = Number(usage, "input_tokens") ?? PromptTokens;
        CompletionTokens = Number(usage, "output_tokens") ?? CompletionTokens;
        CachedTokens = Number(Child(usage, "input_tokens_details"), "cached_tokens") ?? CachedTokens;
    }
}
