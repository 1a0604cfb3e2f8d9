using System.Text.Json;

namespace CtoHarness.Protocol;

/// <summary>Case's own rule for an agent's result (parse-agent-result.ts): the last <c>&lt;&lt;&lt;AGENT_RESULT</c>, JSON up to <c>AGENT_RESULT&gt;&gt;&gt;</c>, with a valid status.</summary>
public static class ResultBlock
{
    private const string Start = "<<<AGENT_RESULT";
    private const string End = "AGENT_RESULT>>>";

    /// <summary>Where the block is in the text, delimiters included (the last start, and the first end after it), or null.</summary>
    public static Range? Find(string text)
    {
        var start = text.LastIndexOf(Start, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(End, start + Start.Length, StringComparison.Ordinal);
        return end < 0 ? null : start..(end + End.Length);
    }

    public static bool IsWellFormed(string text)
    {
        if (Find(text) is not { } block)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text[block][Start.Length..^End.Length]);
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
