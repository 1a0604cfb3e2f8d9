using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CtoHarness.Pages;

/// <summary>
/// What Case printed, as a timeline a reader follows: its JSON log lines (standard error) as time, level, message and
/// fields, each agent's AGENT_RESULT shown as a block, and its plain lines (standard output) as they are. On the fake
/// lane, which has no model traffic, this is the agent's side of the story (e.g. "filesChanged": []).
/// </summary>
internal static class CaseLog
{
    private const int MaxLines = 400;

    public static void Render(StringBuilder body, string runDirectory, string? stdoutLog, string? stderrLog, int maxTextChars)
    {
        var stdout = Lines(runDirectory, stdoutLog);
        var stderr = Lines(runDirectory, stderrLog);
        if (stdout.Count == 0 && stderr.Count == 0)
        {
            return;
        }
        body.Append("<h2>Case's log</h2>\n");
        long? start = null;
        body.Append("<table><tr><th>at</th><th>level</th><th>what</th></tr>\n");
        foreach (var line in stderr.Take(MaxLines))
        {
            if (Parse(line) is not { } entry)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td></td><td></td><td><code>{Html.Text(Html.Capped(line, maxTextChars))}</code></td></tr>\n");
                continue;
            }
            start ??= entry.Time;
            var at = entry.Time is { } time && start is { } first ? $"+{(time - first) / 1000.0:0.0} s" : "";
            body.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html.Text(at)}</td><td>{Html.Text(entry.Level)}</td><td>{Html.Text(entry.Message)}{(entry.Fields.Length > 0 ? $" <span class=\"muted\">{Html.Text(entry.Fields)}</span>" : "")}");
            if (entry.Result is { } result)
            {
                body.Append(CultureInfo.InvariantCulture, $"<pre class=\"result\">{Html.Text(Html.Capped(result, maxTextChars))}</pre>");
            }
            body.Append("</td></tr>\n");
        }
        body.Append("</table>\n");
        if (stdout.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<details><summary>standard output ({stdout.Count} lines)</summary><pre>{Html.Text(Html.Capped(string.Join('\n', stdout.Take(MaxLines)), maxTextChars))}</pre></details>\n");
        }
    }

    private sealed record Entry(long? Time, string Level, string Message, string Fields, string? Result);

    private static Entry? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("msg", out var message))
            {
                return null;
            }
            var fields = new List<string>();
            string? result = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "msg" or "level" or "time":
                        break;
                    case "result" when property.Value.ValueKind == JsonValueKind.String:
                        result = property.Value.GetString();
                        break;
                    default:
                        fields.Add($"{property.Name}={(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText())}");
                        break;
                }
            }
            var time = root.TryGetProperty("time", out var t) && t.TryGetInt64(out var ms) ? ms : (long?)null;
            var level = root.TryGetProperty("level", out var l) ? l.ToString() : "";
            return new Entry(time, level, message.ToString(), string.Join(" ", fields), result);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Lines(string runDirectory, string? relative) =>
        relative is null || !File.Exists(Path.Combine(runDirectory, relative))
            ? []
            : Html.ReadEvidence(Path.Combine(runDirectory, relative)).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
