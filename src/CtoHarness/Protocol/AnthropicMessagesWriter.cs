using System.Net;
using System.Text.Json.Nodes;

namespace CtoHarness.Protocol;

/// <summary>
/// Anthropic Messages: <c>message_start</c>, per content block <c>content_block_start</c>, its deltas (<c>text_delta</c>,
/// <c>input_json_delta</c>) and <c>content_block_stop</c>, <c>message_delta</c> (stop reason, output usage),
/// <c>message_stop</c>; or one <c>message</c>. Errors in Anthropic's envelope (<c>{"type":"error","error":{…}}</c>).
/// </summary>
public sealed class AnthropicMessagesWriter(HttpListenerResponse response, string model, int promptBytes) : AnswerWriter(response, model, promptBytes)
{
    protected override void WriteStream(ModelAnswer answer, int textChunk)
    {
        Event("message_start", new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["id"] = $"msg_{Id}", ["type"] = "message", ["role"] = "assistant", ["content"] = new JsonArray(), ["model"] = Model,
                ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = new JsonObject { ["input_tokens"] = PromptTokens, ["output_tokens"] = 1 },
            },
        });
        var index = 0;
        if (answer.Text.Length > 0)
        {
            Event("content_block_start", new JsonObject { ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            foreach (var piece in Pieces(answer.Text, textChunk))
            {
                Event("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } });
            }
            Event("content_block_stop", new JsonObject { ["index"] = index++ });
        }
        foreach (var call in answer.ToolCalls)
        {
            Event("content_block_start", new JsonObject
            {
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{CallId(index)}", ["name"] = call.Name, ["input"] = new JsonObject() },
            });
            Event("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = call.Arguments.ToJsonString() } });
            Event("content_block_stop", new JsonObject { ["index"] = index++ });
        }
        Event("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(answer), ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = CompletionTokens },
        });
        Event("message_stop", new JsonObject());
    }

    protected override JsonObject Whole(ModelAnswer answer)
    {
        var content = new JsonArray();
        if (answer.Text.Length > 0)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = answer.Text });
        }
        foreach (var (call, index) in answer.ToolCalls.Select((c, i) => (c, i)))
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{CallId(index)}", ["name"] = call.Name, ["input"] = call.Arguments.DeepClone() });
        }
        return new JsonObject
        {
            ["id"] = $"msg_{Id}", ["type"] = "message", ["role"] = "assistant", ["model"] = Model, ["content"] = content,
            ["stop_reason"] = StopReason(answer), ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = PromptTokens, ["output_tokens"] = CompletionTokens },
        };
    }

    protected override JsonObject ErrorBody(int status, string message, string type) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = status switch { 401 => "authentication_error", 403 => "permission_error", 404 => "not_found_error", 429 => "rate_limit_error", 529 => "overloaded_error", _ => "api_error" },
            ["message"] = message,
        },
    };

    private static string StopReason(ModelAnswer answer) => answer.ToolCalls.Count > 0 ? "tool_use" : "end_turn";

    private void Event(string name, JsonObject data)
    {
        var typed = new JsonObject { ["type"] = name };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            typed[key] = value;
        }
        Send(name, typed);
    }
}
