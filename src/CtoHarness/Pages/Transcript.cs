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
            var (answer, tools) = Answer(Body(directory, exchange.ResponseBody), exchange);
            calls.Add(new TranscriptCall(exchange, Inputs(Body(directory, exchange.RequestBody)), answer, tools));
        }
        // The relay writes a call's line when the call ends, and Case may send the next one first: read them in call order.
        return [.. calls.OrderBy(c => c.Exchange.Sequence)];
    }

    private static string Body(string directory, string? name) =>
        name is not null && Html.IsReadable(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)) : "";

    /// <summary>What went in since the model's last turn (on a first call the system prompt and the task, later the tool results).</summary>
    private static List<(string, string)> Inputs(string request)
    {
        try
        {
            return JsonNode.Parse(request) is JsonObject body ? RequestInputs.New(body) : [];
        }
        catch (JsonException)
        {
            return [("request", request)];
        }
    }

    /// <summary>The assistant's text and tool calls, read by the exchange's own API style, streamed or whole.</summary>
    private static (string, List<(string, string)>) Answer(string response, ModelExchange exchange)
    {
        var reader = ApiStyles.ReaderFor(exchange.Api ?? ApiStyles.OfPath(exchange.Path));
        reader.Feed(Encoding.UTF8.GetBytes(response), exchange.ContentType?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) ?? response.TrimStart().StartsWith("data:", StringComparison.Ordinal));
        reader.Finish();
        return (reader.TextTail, reader.ToolCallsWithArguments.ToList());
    }
}
