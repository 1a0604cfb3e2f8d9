using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>
/// Anthropic Messages (<c>anthropic-messages</c>): <c>message_start</c> (input usage), <c>content_block_start</c> (a
/// <c>tool_use</c> block names its tool), <c>content_block_delta</c> (<c>text_delta</c>), <c>message_delta</c> (the
/// <c>stop_reason</c>, output usage), <c>message_stop</c>, and <c>error</c> (e.g. <c>overloaded_error</c>); no
/// <c>[DONE]</c>. Or one JSON body (<c>type: message</c> with <c>content</c> blocks, or <c>type: error</c>).
/// </summary>
public sealed class AnthropicMessagesReader : AnswerReader
{
    protected override void OnEvent(string? name, string data) => Parse(data, root =>
    {
        switch (name ?? Text(root, "type"))
        {
            case "message_start":
                Usage(Child(Child(root, "message"), "usage"));
                break;
            case "content_block_start":
                Block(Child(root, "content_block"), $"{Number(root, "index")}", streamed: true);
                break;
            case "content_block_delta" when Child(root, "delta") is var delta && Text(delta, "type") == "text_delta":
                AppendText(Text(delta, "text") ?? "");
                break;
            case "content_block_delta" when Child(root, "delta") is var delta && Text(delta, "type") == "input_json_delta":
                AppendArguments($"{Number(root, "index")}", Text(delta, "partial_json"));
                break;
            case "message_delta":
                FinishReason = Text(Child(root, "delta"), "stop_reason") ?? FinishReason;
                Usage(Child(root, "usage"));
                break;
            case "message_stop":
                Ended = true;
                break;
            case "error":
                ReadError(root);
                break;
        }
    });

    protected override void OnBody(JsonElement body)
    {
        ReadError(body);
        if (Text(body, "type") != "message")
        {
            return;
        }
        if (Child(body, "content") is { ValueKind: JsonValueKind.Array } blocks)
        {
            var index = 0;
            foreach (var block in blocks.EnumerateArray())
            {
                Block(block, $"{index++}", streamed: false);
            }
        }
        FinishReason = Text(body, "stop_reason");
        Usage(Child(body, "usage"));
        Ended = true;
    }

    /// <summary>A streamed tool_use block's input arrives as deltas; a whole one has it in <c>input</c>.</summary>
    private void Block(JsonElement block, string key, bool streamed)
    {
        switch (Text(block, "type"))
        {
            case "text":
                AppendText(Text(block, "text") ?? "");
                break;
            case "tool_use" when Text(block, "name") is { Length: > 0 } tool:
                BeginCall(key, tool, streamed ? null : Child(block, "input").GetRawText());
                break;
        }
    }

    /// <summary>Anthropic counts cache reads and writes apart from <c>input_tokens</c>: the prompt is all three.</summary>
    private void Usage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (Number(usage, "input_tokens") is { } input)
        {
            var cacheRead = Number(usage, "cache_read_input_tokens") ?? 0;
            PromptTokens = input + cacheRead + (Number(usage, "cache_creation_input_tokens") ?? 0);
            CachedTokens = cacheRead;
        }
        CompletionTokens = Number(usage, "output_tokens") ?? CompletionTokens;
    }
}
