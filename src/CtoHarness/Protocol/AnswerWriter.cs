using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CtoHarness.Protocol;

/// <summary>One tool call of a model's answer: a tool's name and its JSON arguments.</summary>
public sealed record ToolCall(string Name, JsonObject Arguments);

/// <summary>One answer of a model: text, or tool calls (then the conversation goes on).</summary>
public sealed record ModelAnswer(string Text, IReadOnlyList<ToolCall> ToolCalls)
{
    public static ModelAnswer Say(string text) => new(text, []);

    public static ModelAnswer Call(params ToolCall[] calls) => new("", calls);
}

/// <summary>
/// Writes one model answer in an API style's wire format, streamed (server-sent events) or whole, with the usage a
/// harness-served model reports (about four bytes a token), and the style's own error envelope.
/// </summary>
public abstract class AnswerWriter(HttpListenerResponse response, string model, int promptBytes)
{
    private int _sent;
    private int? _cutAfter;

    protected string Model { get; } = model;
    protected string Id { get; } = Guid.NewGuid().ToString("N");
    public long CompletionTokens { get; protected set; }
    public long PromptTokens => Math.Max(1, promptBytes / 4);

    /// <param name="cutAfterEvents">Cut the connection after this many events (a stream that dies mid-answer).</param>
    public void Stream(ModelAnswer answer, int? cutAfterEvents = null, int textChunk = 64)
    {
        _cutAfter = cutAfterEvents;
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        CompletionTokens = Tokens(answer);
        WriteStream(answer, textChunk);
        response.Close();
    }

    public void Complete(ModelAnswer answer)
    {
        CompletionTokens = Tokens(answer);
        Loopback.LoopbackServer.Answer(response, 200, Whole(answer));
    }

    /// <summary>An HTTP error in the style's envelope.</summary>
    public void Fail(int status, string message, string type) => Loopback.LoopbackServer.Answer(response, status, ErrorBody(status, message, type));

    protected abstract void WriteStream(ModelAnswer answer, int textChunk);

    protected abstract JsonObject Whole(ModelAnswer answer);

    protected abstract JsonObject ErrorBody(int status, string message, string type);

    /// <summary>One server-sent event (named, when the style names its events).</summary>
    protected void Send(string? name, JsonNode data)
    {
        if (_cutAfter is { } cut && _sent++ >= cut)
        {
            response.Abort(); // the connection is cut mid-answer
            throw new OperationCanceledException("stream cut");
        }
        Write((name is null ? "" : $"event: {name}\n") + $"data: {data.ToJsonString()}\n\n");
    }

    protected void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.OutputStream.Write(bytes);
        response.OutputStream.Flush();
    }

    protected static IEnumerable<string> Pieces(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    protected static string CallId(int index) => $"call_{index}_{Guid.NewGuid():N}"[..24];

    private static long Tokens(ModelAnswer answer) =>
        Math.Max(1, (answer.Text.Length + answer.ToolCalls.Sum(c => c.Arguments.ToJsonString().Length)) / 4);
}
