using System.Text.Json;

namespace CtoHarness.Backend;

/// <summary>
/// Watches Case's output lines as they stream past (also beyond the log cap) and remembers the facts
/// that classify a run: the pipeline's end line, its JSON "pipeline finished" record, an agent-protocol
/// error, and a <c>Fatal:</c> message. Thread-safe: stdout and stderr are read concurrently.
/// </summary>
public sealed class CaseOutputObserver
{
    private const string UnattendedPrefix = "[unattended] ";
    private const string FailedAtPrefix = "Pipeline failed at ";
    private readonly object _gate = new();

    public bool PipelineCompleted { get; private set; }
    public bool PipelineFailed { get; private set; }
    public string? FailedAgent { get; private set; }
    public bool AgentProtocolError { get; private set; }
    /// <summary>The agents whose phase failed for want of a valid AGENT_RESULT block, with Case's error (first seen).</summary>
    public IReadOnlyDictionary<string, string> ProtocolErrors => _protocolErrors;

    private readonly Dictionary<string, string> _protocolErrors = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> AgentOfPhase = new(StringComparer.Ordinal)
    {
        ["implement"] = "implementer",
        ["verify"] = "verifier",
        ["review"] = "reviewer",
        ["close"] = "closer",
        ["retrospective"] = "retrospective",
    };
    public string? FatalMessage { get; private set; }

    public void OnLine(Processes.OutputStream stream, string line)
    {
        lock (_gate)
        {
            if (stream == Processes.OutputStream.Stdout)
            {
                OnStdout(line.StartsWith(UnattendedPrefix, StringComparison.Ordinal) ? line[UnattendedPrefix.Length..] : line);
            }
            else
            {
                OnStderr(line);
            }
        }
    }

    private void OnStdout(string text)
    {
        if (text == "Pipeline completed successfully.")
        {
            PipelineCompleted = true;
        }
        else if (text.StartsWith(FailedAtPrefix, StringComparison.Ordinal) && text.EndsWith(" phase.", StringComparison.Ordinal))
        {
            PipelineFailed = true;
            FailedAgent ??= text[FailedAtPrefix.Length..^" phase.".Length];
        }
    }

    private void OnStderr(string line)
    {
        if (line.StartsWith("Fatal: ", StringComparison.Ordinal))
        {
            FatalMessage ??= line;
            return;
        }
        if (!line.StartsWith('{'))
        {
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            if (Text(root, "msg") == "pipeline finished")
            {
                switch (Text(root, "outcome"))
                {
                    case "completed":
                        PipelineCompleted = true;
                        break;
                    case "failed":
                        PipelineFailed = true;
                        FailedAgent ??= Text(root, "failedAgent");
                        break;
                }
            }
            var error = Text(root, "error");
            if (Text(root, "failureClass") == "agent-protocol-error" || error?.StartsWith("AGENT_RESULT", StringComparison.Ordinal) == true)
            {
                AgentProtocolError = true;
                // {"msg":"phase:review","phase":"review","status":"failed","error":"AGENT_RESULT start delimiter not found"}
                if (error is not null && Text(root, "phase") is { } phase && AgentOfPhase.TryGetValue(phase, out var agent))
                {
                    _protocolErrors.TryAdd(agent, error);
                }
            }
        }
        catch (JsonException)
        {
            // Not one of Case's log records; ignore.
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
