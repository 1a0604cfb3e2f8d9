using System.Text.Json.Nodes;

namespace CtoHarness.Protocol;

/// <summary>
/// What a model request brings that the model has not seen yet: everything after the model's last turn (on a first
/// call the system prompt and the task, later the tools' results), in any API style: chat and Anthropic <c>messages</c>
/// (Anthropic's prompt in the top-level <c>system</c>), Responses <c>input</c> items (its prompt in <c>instructions</c>).
/// </summary>
public static class RequestInputs
{
    public static List<(string Role, string Text)> New(JsonObject request)
    {
        var items = (request["messages"] ?? request["input"]) switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonValue value when value.TryGetValue<string>(out var text) => [new JsonObject { ["role"] = "user", ["content"] = text }],
            _ => [],
        };
        var lastTurn = items.FindLastIndex(IsModelTurn);
        var inputs = items.Skip(lastTurn + 1).Select(item => (Role(item), TextOf(item))).ToList();
        if (lastTurn < 0 && (request["system"] ?? request["instructions"]) is { } prompt)
        {
            inputs.Insert(0, ("system", TextOf(new JsonObject { ["content"] = prompt.DeepClone() })));
        }
        return inputs;
    }

    private static bool IsModelTurn(JsonObject item) => (string?)item["role"] == "assistant" || (string?)item["type"] == "function_call";

    private static string Role(JsonObject item) => (string?)item["role"] ?? (string?)item["type"] ?? "?";

    /// <summary>The text of a message or item: a string, or text parts, tool results and function outputs joined.</summary>
    public static string TextOf(JsonObject item) => item["content"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(PartText)),
        _ => (string?)item["output"] ?? "",
    };

    private static string PartText(JsonObject part) => (string?)part["type"] == "tool_result"
        ? TextOf(part)
        : (string?)part["text"] ?? "";
}
