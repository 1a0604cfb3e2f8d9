using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtoHarness.Contracts;
using CtoHarness.Protocol;

namespace CtoHarness.Pages;

/// <summary>One call of the model conversation as the page shows it: what went in since the model's last turn, what came out.</summary>
internal sealed record TranscriptCall(ModelExchange Exchange, IReadOnlyList<(string Role, string Text)> Inputs, string Answer, IReadOnlyList<(string Name, string Arguments)> ToolCalls);

/// <summary>Reads the relay's evidence (exchanges.jsonl and the kept bodies) back into a readable conversation.</summary>
internal static class Transcript
{
    public static List<TranscriptCall> Read(string runDirectory, string exchangesLog)
    {
        var path = Path.Combine(runDirectory, exchangesLog);
        if (!Html.IsReadable(path))
        {
            return [];
        }
        var directory = Path.GetDirectoryName(path)!;
        var calls = new List<TranscriptCall>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            ModelExchange exchange;
            try
            {
                exchange = JsonSerializer.Deserialize<ModelExchange>(line, Evidence.JsonFiles.Options)!;
            }
            catch (JsonException)
            {
                continue;
            }
            var (answer, tools) = Answer(Body(directory, exchange.ResponseBody));
            calls.Add(new TranscriptCall(exchange, Inputs(Body(directory, exchange.RequestBody)), answer, tools));
        }
        return calls;
    }

    private static string Body(string directory, string? name) =>
        name is not null && Html.IsReadable(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)) : "";

    /// <summary>The messages after the model's last turn: on a first call the system prompt and the task, later the tool results.</summary>
    private static List<(string, string)> Inputs(string request)
    {
        try
        {
            if (JsonNode.Parse(request) is not JsonObject body || body["messages"] is not JsonArray messages)
            {
                return [];
            }
            var items = messages.OfType<JsonObject>().ToList();
            var lastAssistant = items.FindLastIndex(m => (string?)m["role"] == "assistant");
            return items.Skip(lastAssistant + 1).Select(m => ((string?)m["role"] ?? "?", AgentRole.TextOf(m))).ToList();
        }
        catch (JsonException)
        {
            return [("request", request)];
        }
    }

    /// <summary>The assistant's text and tool calls, from server-sent events or one JSON completion.</summary>
    private static (string, List<(string, string)>) Answer(string response)
    {
        var text = new StringBuilder();
        var tools = new SortedDictionary<int, (StringBuilder Name, StringBuilder Arguments)>();
        var events = response.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).ToList();
        foreach (var data in events.Count > 0 ? events : [response])
        {
            if (data == "[DONE]")
            {
                continue;
            }
            try
            {
                if (JsonNode.Parse(data)?["choices"] is not JsonArray choices)
                {
                    continue;
                }
                foreach (var choice in choices.OfType<JsonObject>())
                {
                    var message = choice["delta"] as JsonObject ?? choice["message"] as JsonObject;
                    if (message?["content"] is JsonValue content && content.TryGetValue<string>(out var piece))
                    {
                        text.Append(piece);
                    }
                    foreach (var call in (message?["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        var index = call["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : tools.Count;
                        if (!tools.TryGetValue(index, out var tool))
                        {
                            tools[index] = tool = (new StringBuilder(), new StringBuilder());
                        }
                        tool.Name.Append((string?)call["function"]?["name"]);
                        tool.Arguments.Append((string?)call["function"]?["arguments"]);
                    }
                }
            }
            catch (JsonException)
            {
                // not a chunk of the chat-completions format; the raw body is linked from the page
            }
        }
        return (text.ToString(), tools.Values.Select(t => (t.Name.ToString(), t.Arguments.ToString())).ToList());
    }
}
