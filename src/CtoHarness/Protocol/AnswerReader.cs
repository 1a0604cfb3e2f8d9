using System.Text;
using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>
/// Reads a model's answer as it streams past, in bounded memory, whatever its API style: server-sent events (each
/// event's <c>event:</c> name and <c>data:</c> lines, dispatched at the blank line that ends it) or one JSON body. It
/// keeps what classifies the exchange: whether the answer reached its end, the end of the assistant's text, the tools it
/// called, the finish (stop) reason, the token usage the endpoint reported, and an error the API itself reported.
/// </summary>
public abstract class AnswerReader
{
    private const int TextTailChars = 64 * 1024;
    private const int MaxToolCalls = 256;
    private const int MaxArgumentChars = 64 * 1024;
    private const int MaxEventBytes = 4 * 1024 * 1024;
    private const int MaxJsonBodyBytes = 16 * 1024 * 1024;

    private readonly MemoryStream _line = new();
    private readonly MemoryStream _data = new();
    private readonly MemoryStream _json = new();
    private readonly StringBuilder _text = new();
    private string? _event;
    private bool _tooLong;
    private bool? _streaming;

    public List<string> ToolCalls { get; } = [];
    private readonly List<StringBuilder> _arguments = [];
    private readonly Dictionary<string, int> _callByKey = [];

    /// <summary>Each tool call with its arguments as they arrived (JSON text), in the order the calls began.</summary>
    public IEnumerable<(string Name, string Arguments)> ToolCallsWithArguments => ToolCalls.Select((name, i) => (name, _arguments[i].ToString()));
    /// <summary>The answer said it was complete (chat's <c>[DONE]</c> or finish reason, Anthropic's <c>message_stop</c>, <c>response.completed</c>).</summary>
    public bool Ended { get; protected set; }
    public string? FinishReason { get; protected set; }
    /// <summary>Every input token the model read, cached ones included.</summary>
    public long? PromptTokens { get; protected set; }
    public long? CompletionTokens { get; protected set; }
    /// <summary>Of <see cref="PromptTokens"/>, those the API reports as read from its cache.</summary>
    public long? CachedTokens { get; protected set; }
    /// <summary>An error the API reported in its own envelope (<c>type: message</c>), in a stream or a whole body.</summary>
    public string? Error { get; protected set; }

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
            if (_line.Length + part.Length > MaxEventBytes)
            {
                _tooLong = true;
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
            Parse(_json.GetBuffer().AsSpan(0, (int)_json.Length), OnBody);
            return;
        }
        if (_line.Length > 0)
        {
            EndLine();
        }
        Dispatch();
    }

    /// <summary>One event of the stream: its name (null when the stream names none) and its data.</summary>
    protected abstract void OnEvent(string? name, string data);

    /// <summary>A whole (not streamed) answer.</summary>
    protected abstract void OnBody(JsonElement body);

    /// <summary>A tool call begins; <paramref name="key"/> is how the stream refers to it later (an index, a block, an item).</summary>
    /// <remarks>Bounded like the text: past <see cref="MaxToolCalls"/> calls or <see cref="MaxArgumentChars"/> of one call's arguments, the rest is relayed and kept in the body file, not held here.</remarks>
    protected void BeginCall(string key, string name, string? arguments = null)
    {
        if (ToolCalls.Count >= MaxToolCalls)
        {
            return;
        }
        _callByKey[key] = ToolCalls.Count;
        ToolCalls.Add(name);
        _arguments.Add(new StringBuilder());
        AppendArguments(key, arguments);
    }

    protected void AppendArguments(string key, string? arguments)
    {
        if (arguments is not null && _callByKey.TryGetValue(key, out var call) && _arguments[call].Length < MaxArgumentChars)
        {
            _arguments[call].Append(arguments, 0, Math.Min(arguments.Length, MaxArgumentChars - _arguments[call].Length));
        }
    }

    protected void AppendText(string text)
    {
        _text.Append(text);
        if (_text.Length > TextTailChars * 2)
        {
            _text.Remove(0, _text.Length - TextTailChars);
        }
    }

    /// <summary>Parses JSON and hands it on; anything that is not JSON is still relayed and kept as it came.</summary>
    protected static void Parse(ReadOnlySpan<byte> json, Action<JsonElement> read)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            read(document.RootElement);
        }
        catch (JsonException)
        {
            // Not this API's format.
        }
    }

    protected static void Parse(string json, Action<JsonElement> read) => Parse(Encoding.UTF8.GetBytes(json), read);

    protected static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : null;

    protected static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    protected static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The error envelope every style shares in some form: <c>{"error": {"type"|"code", "message"}}</c>.</summary>
    protected void ReadError(JsonElement root)
    {
        var error = Child(root, "error");
        if (error.ValueKind == JsonValueKind.Object)
        {
            Error = $"{Text(error, "type") ?? Text(error, "code") ?? "error"}: {Text(error, "message") ?? ""}".TrimEnd(' ', ':');
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            Error = error.GetString();
        }
    }

    private void EndLine()
    {
        var line = _line.GetBuffer().AsSpan(0, (int)_line.Length).TrimEnd((byte)'\r');
        if (line.IsEmpty)
        {
            Dispatch();
        }
        else if (!_tooLong && line.StartsWith("event:"u8))
        {
            _event = Encoding.UTF8.GetString(line[6..]).Trim();
        }
        else if (!_tooLong && line.StartsWith("data:"u8))
        {
            var data = line[5..];
            if (!data.IsEmpty && data[0] == (byte)' ')
            {
                data = data[1..];
            }
            if (_data.Length > 0)
            {
                _data.WriteByte((byte)'\n');
            }
            if (_data.Length + data.Length <= MaxEventBytes)
            {
                _data.Write(data);
            }
        }
        _line.SetLength(0);
        _tooLong = false;
    }

    private void Dispatch()
    {
        if (_data.Length > 0 || _event is not null)
        {
            OnEvent(_event, Encoding.UTF8.GetString(_data.GetBuffer(), 0, (int)_data.Length));
        }
        _data.SetLength(0);
        _event = null;
    }
}
