using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>Case's own rule for an agent's result (parse-agent-result.ts): the last <c>&lt;&lt;&lt;AGENT_RESULT</c>, JSON up to <c>AGENT_RESULT&gt;&gt;&gt;</c>, with a valid status.</summary>
public static class ResultBlock
{
    private const string Start = "<<<AGENT_RESULT";
    private const string End = "AGENT_RESULT>>>";

    public static bool IsWellFormed(string text)
    {
        var start = text.LastIndexOf(Start, StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }
        var end = text.IndexOf(End, start + Start.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text[(start + Start.Length)..end]);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("status", out var status) &&
                   status.ValueKind == JsonValueKind.String && status.GetString() is "completed" or "failed" or "blocked";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
