using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CtoHarness.ScriptedModel;

/// <summary>
/// Writes one answer in the OpenAI chat-completions wire format: server-sent events (<c>data: {chunk}</c>
/// lines, text and tool calls as deltas, a last chunk with the finish reason and usage, then
/// <c>data: [DONE]</c>) when the request streams, else one JSON completion. Usage is reported as the scripted
/// model counts it: about four bytes a token.
/// </summary>
internal sealed class ChatCompletionWriter(HttpListenerResponse response, string model, int promptBytes)
{
    private const int TextChunk = 64;
    private readonly string _id = $"chatcmpl-{Guid.NewGuid():N}";
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public long CompletionTokens { get; private set; }
    public long PromptTokens => Math.Max(1, promptBytes / 4);

    public void Stream(ScriptedReply reply, int? cutAfterChunks = null, int textChunk = TextChunk)
    {
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        var sent = 0;
        void Send(JsonObject delta, string? finish = null, bool usage = false)
        {
            if (cutAfterChunks is { } cut && sent++ >= cut)
            {
                response.Abort(); // the connection is cut mid-answer
                throw new OperationCanceledException("stream cut");
            }
            var chunk = new JsonObject
            {
                ["id"] = _id,
                ["object"] = "chat.completion.chunk",
                ["created"] = _created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            };
            if (usage)
            {
                chunk["usage"] = Usage();
            }
            Write($"data: {chunk.ToJsonString()}\n\n");
        }

        Send(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        for (var i = 0; i < reply.Text.Length; i += textChunk)
        {
            var piece = reply.Text.Substring(i, Math.Min(textChunk, reply.Text.Length - i));
            CompletionTokens += Math.Max(1, piece.Length / 4);
            Send(new JsonObject { ["content"] = piece });
        }
        for (var index = 0; index < reply.ToolCalls.Count; index++)
        {
            var call = reply.ToolCalls[index];
            var arguments = call.Arguments.ToJsonString();
            CompletionTokens += Math.Max(1, arguments.Length / 4);
            Send(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = index,
                    ["id"] = $"call_{index}_{Guid.NewGuid():N}"[..24],
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                }),
            });
            Send(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = arguments } }) });
        }
        Send(new JsonObject(), reply.ToolCalls.Count > 0 ? "tool_calls" : "stop", usage: true);
        Write("data: [DONE]\n\n");
        response.Close();
    }

    public void Complete(ScriptedReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text };
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. reply.ToolCalls.Select((call, index) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{index}_{Guid.NewGuid():N}"[..24],
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments.ToJsonString() },
            })]);
        }
        CompletionTokens = Math.Max(1, (reply.Text.Length + reply.ToolCalls.Sum(c => c.Arguments.ToJsonString().Length)) / 4);
        var body = new JsonObject
        {
            ["id"] = _id,
            ["object"] = "chat.completion",
            ["created"] = _created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = reply.ToolCalls.Count > 0 ? "tool_calls" : "stop" }),
            ["usage"] = Usage(),
        };
        Loopback.LoopbackServer.Answer(response, 200, body);
    }


    private JsonObject Usage() => new()
    {
        ["prompt_tokens"] = PromptTokens,
        ["completion_tokens"] = CompletionTokens,
        ["total_tokens"] = PromptTokens + CompletionTokens,
    };

    private void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.OutputStream.Write(bytes);
        response.OutputStream.Flush();
    }
}
