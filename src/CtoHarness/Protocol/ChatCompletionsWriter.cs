using System.Net;
using System.Text.Json.Nodes;

namespace CtoHarness.Protocol;

/// <summary>
/// OpenAI chat completions: <c>data: {chunk}</c> events (text and tool calls as deltas, a last chunk with the finish
/// reason and usage), then <c>data: [DONE]</c>; or one <c>chat.completion</c>.
/// </summary>
public sealed class ChatCompletionsWriter(HttpListenerResponse response, string model, int promptBytes) : AnswerWriter(response, model, promptBytes)
{
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    protected override void WriteStream(ModelAnswer answer, int textChunk)
    {
        Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        foreach (var piece in Pieces(answer.Text, textChunk))
        {
            Chunk(new JsonObject { ["content"] = piece });
        }
        for (var index = 0; index < answer.ToolCalls.Count; index++)
        {
            var call = answer.ToolCalls[index];
            Chunk(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = index,
                    ["id"] = CallId(index),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                }),
            });
            Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = call.Arguments.ToJsonString() } }) });
        }
        Chunk(new JsonObject(), Finish(answer), usage: true);
        Write("data: [DONE]\n\n");
    }

    protected override JsonObject Whole(ModelAnswer answer)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text };
        if (answer.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select((call, index) => (JsonNode)new JsonObject
            {
                ["id"] = CallId(index),
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments.ToJsonString() },
            })]);
        }
        return new JsonObject
        {
            ["id"] = $"chatcmpl-{Id}",
            ["object"] = "chat.completion",
            ["created"] = _created,
            ["model"] = Model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = Finish(answer) }),
            ["usage"] = Usage(),
        };
    }

    protected override JsonObject ErrorBody(int status, string message, string type) => Loopback.LoopbackServer.Error(message, "invalid_request_error", type);

    private static string Finish(ModelAnswer answer) => answer.ToolCalls.Count > 0 ? "tool_calls" : "stop";

    private void Chunk(JsonObject delta, string? finish = null, bool usage = false)
    {
        var chunk = new JsonObject
        {
            ["id"] = $"chatcmpl-{Id}",
            ["object"] = "chat.completion.chunk",
            ["created"] = _created,
            ["model"] = Model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        if (usage)
        {
            chunk["usage"] = Usage();
        }
        Send(null, chunk);
    }

    private JsonObject Usage() => new() { ["prompt_tokens"] = PromptTokens, ["completion_tokens"] = CompletionTokens, ["total_tokens"] = PromptTokens + CompletionTokens };
}
