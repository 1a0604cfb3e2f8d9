using System.Text;
using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>
/// Reads a model's answer as it streams past, in bounded memory: server-sent events (<c>data: {chunk}</c>
/// lines of the chat-completions format) or one JSON body. It keeps what classifies the exchange: the end of
/// the assistant's text, the tools it called, the finish reason and the token usage the endpoint reported.
/// </summary>
internal sealed class ResponseReader
{
    private const int TextTailChars = 64 * 1024;
    private const int MaxLineBytes = 4 * 1024 * 1024;
    private const int MaxJsonBodyBytes = 16 * 1024 * 1024;

    private readonly MemoryStream _line = new();
    private readonly MemoryStream _json = new();
    private readonly StringBuilder _text = new();
    private bool _lineTooLong;
    private bool? _streaming;

    public List<string> ToolCalls { get; } = [];
    /// <summary>The stream said it was done (<c>data: [DONE]</c>).</summary>
    public bool SawDone { get; private set; }
    public string? FinishReason { get; private set; }
    public long? PromptTokens { get; private set; }
    public long? CompletionTokens { get; private set; }

    /// <summary>The last characters of the assistant's text (enough to judge and quote its result block).</summary>
    public string TextTail => _text.ToString();

    public void Feed(ReadOnlySpan<byte> bytes, bool eventStream)
    {
        _streaming ??= eventStream;
        if (_streaming == false)
        {
            if (_json.Length + bytes.Length <= MaxJsonBodyBytes)
            {
                _json.Write(bytes);
            }
            return;
        }
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var part = newline < 0 ? bytes : bytes[..newline];
            if (_line.Length + part.Length > MaxLineBytes)
            {
                _lineTooLong = true;
            }
            else
            {
                _line.Write(part);
            }
            if (newline < 0)
            {
                return;
            }
            EndLine();
            bytes = bytes[(newline + 1)..];
        }
    }

    public void Finish()
    {
        if (_streaming == false && _json.Length > 0)
        {
            Read(_json.GetBuffer().AsSpan(0, (int)_json.Length), streamed: false);
        }
        else if (_line.Length > 0)
        {
            EndLine();
        }
    }

    private void EndLine()
    {
        var line = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (!_lineTooLong && line.StartsWith("data:"u8))
        {
            var data = line[5..].Trim((byte)' ').TrimEnd((byte)'\r');
            if (data.SequenceEqual("[DONE]"u8))
            {
                SawDone = true;
            }
            else
            {
                Read(data, streamed: true);
            }
        }
        _line.SetLength(0);
        _lineTooLong = false;
    }

    private void Read(ReadOnlySpan<byte> json, bool streamed)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                PromptTokens = Number(usage, "prompt_tokens") ?? Number(usage, "input_tokens") ?? PromptTokens;
                CompletionTokens = Number(usage, "completion_tokens") ?? Number(usage, "output_tokens") ?? CompletionTokens;
            }
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                {
                    FinishReason = finish.GetString();
                }
                if (choice.TryGetProperty(streamed ? "delta" : "message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    {
                        AppendText(content.GetString()!);
                    }
                    if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var call in calls.EnumerateArray())
                        {
                            if (call.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var name) &&
                                name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } tool)
                            {
                                ToolCalls.Add(tool);
                            }
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a chunk of the chat-completions format; it is still relayed and kept as it came.
        }
    }

    private void AppendText(string text)
    {
        _text.Append(text);
        if (_text.Length > TextTailChars * 2)
        {
            _text.Remove(0, _text.Length - TextTailChars);
        }
    }

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : null;
}
