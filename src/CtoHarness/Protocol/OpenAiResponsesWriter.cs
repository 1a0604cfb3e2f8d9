using System.Net;
using System.Text.Json.Nodes;

namespace CtoHarness.Protocol;

/// <summary>
/// OpenAI Responses: <c>response.created</c>, per output item <c>response.output_item.added</c>, its deltas
/// (<c>response.output_text.delta</c>, <c>response.function_call_arguments.delta</c>) and <c>response.output_item.done</c>,
/// then <c>response.completed</c> with the whole response and its usage; or one <c>response</c> object.
/// </summary>
public sealed class OpenAiResponsesWriter(HttpListenerResponse response, string model, int promptBytes) : AnswerWriter(response, model, promptBytes)
{
    private int _sequence;

    protected override void WriteStream(ModelAnswer answer, int textChunk)
    {
        Event("response.created", new JsonObject { ["response"] = Response(answer, "in_progress", []) });
        var items = Items(answer);
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            var itemId = (string)item["id"]!;
            if ((string?)item["type"] == "message")
            {
                Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = new JsonObject { ["id"] = itemId, ["type"] = "message", ["role"] = "assistant", ["status"] = "in_progress", ["content"] = new JsonArray() } });
                Event("response.content_part.added", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["part"] = new JsonObject { ["type"] = "output_text", ["text"] = "", ["annotations"] = new JsonArray() } });
                foreach (var piece in Pieces(answer.Text, textChunk))
                {
                    Event("response.output_text.delta", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["delta"] = piece });
                }
                Event("response.output_text.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["text"] = answer.Text });
                Event("response.content_part.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["part"] = new JsonObject { ["type"] = "output_text", ["text"] = answer.Text, ["annotations"] = new JsonArray() } });
            }
            else
            {
                Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = WithArguments(item, "") });
                Event("response.function_call_arguments.delta", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["delta"] = (string)item["arguments"]! });
                Event("response.function_call_arguments.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["arguments"] = (string)item["arguments"]! });
            }
            Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item.DeepClone() });
        }
        Event("response.completed", new JsonObject { ["response"] = Response(answer, "completed", items) });
    }

    protected override JsonObject Whole(ModelAnswer answer) => Response(answer, "completed", Items(answer));

    protected override JsonObject ErrorBody(int status, string message, string type) => Loopback.LoopbackServer.Error(message, "invalid_request_error", type);

    private List<JsonObject> Items(ModelAnswer answer)
    {
        var items = new List<JsonObject>();
        if (answer.Text.Length > 0)
        {
            items.Add(new JsonObject
            {
                ["id"] = $"msg_{Id}", ["type"] = "message", ["role"] = "assistant", ["status"] = "completed",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = answer.Text, ["annotations"] = new JsonArray() }),
            });
        }
        items.AddRange(answer.ToolCalls.Select((call, index) => new JsonObject
        {
            ["id"] = $"fc_{CallId(index)}", ["type"] = "function_call", ["status"] = "completed", ["call_id"] = CallId(index), ["name"] = call.Name,
            ["arguments"] = call.Arguments.ToJsonString(),
        }));
        return items;
    }

    private static JsonObject WithArguments(JsonObject item, string arguments)
    {
        var copy = (JsonObject)item.DeepClone();
        copy["arguments"] = arguments;
        copy["status"] = "in_progress";
        return copy;
    }

    private JsonObject Response(ModelAnswer answer, string status, List<JsonObject> items) => new()
    {
        ["id"] = $"resp_{Id}",
        ["object"] = "response",
        ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["status"] = status,
        ["model"] = Model,
        ["output"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
        ["usage"] = status == "completed"
            ? new JsonObject { ["input_tokens"] = PromptTokens, ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 }, ["output_tokens"] = CompletionTokens, ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 }, ["total_tokens"] = PromptTokens + CompletionTokens }
            : null,
    };

    private void Event(string name, JsonObject data)
    {
        var typed = new JsonObject { ["type"] = name, ["sequence_number"] = _sequence++ };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            typed[key] = value;
        }
        Send(name, typed);
    }
}
