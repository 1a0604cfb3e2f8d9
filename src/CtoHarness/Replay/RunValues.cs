using System.Text.RegularExpressions;

namespace CtoHarness.Replay;

/// <summary>
/// What differs between two runs of the same thing and must not make a replay diverge: the run's directory
/// and id (literal placeholders, put back when a recorded answer is served in another run), and, in requests
/// only, timestamps, UUIDs, tool call ids, durations and elapsed times as test tools print them, and key-shaped strings.
/// </summary>
public sealed partial class RunValues(string runDirectory, string runId)
{
    public const string RunDirectoryToken = "<RUN_DIRECTORY>";
    public const string RunIdToken = "<RUN_ID>";

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\b(call|toolu|fc)_[A-Za-z0-9_\-]+")]
    private static partial Regex ToolCallId();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|s|sec)\b")]
    private static partial Regex Duration();

    /// <summary>What test tools print as elapsed time: Node's TAP <c>duration_ms: 2.71</c> and <c># duration_ms 136.2</c>, xUnit's and MSBuild's <c>00:00:01.23</c>.</summary>
    [GeneratedRegex(@"\bduration_ms:? \d+(\.\d+)?|\b\d{2}:\d{2}:\d{2}(\.\d+)?\b")]
    private static partial Regex Elapsed();

    [GeneratedRegex(@"/proc/\d+/fd/\d+")]
    private static partial Regex ProcessPath();

    [GeneratedRegex(@"\b(sk|pk|rk)-[A-Za-z0-9_\-]{16,}|Bearer\s+[A-Za-z0-9._\-]{8,}|\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}|\bxox[abpr]-[A-Za-z0-9\-]{10,}|\bAKIA[0-9A-Z]{16}\b")]
    private static partial Regex KeyShaped();

    public const string Masked = Evidence.SecretRedactor.Mask;

    /// <summary>A recorded value made portable: this run's directory and id become placeholders.</summary>
    public string Portable(string text) =>
        text.Replace(runDirectory.TrimEnd('/'), RunDirectoryToken, StringComparison.Ordinal).Replace(runId, RunIdToken, StringComparison.Ordinal);

    /// <summary>A portable value made this run's again (a recorded answer served in another run).</summary>
    public string Local(string text) =>
        text.Replace(RunDirectoryToken, runDirectory.TrimEnd('/'), StringComparison.Ordinal).Replace(RunIdToken, runId, StringComparison.Ordinal);

    /// <summary>A request as it is compared: portable, and without the values that change from run to run.</summary>
    public string Normalized(string request)
    {
        var text = Portable(request);
        text = ProcessPath().Replace(text, "<PROVIDER>");
        text = Uuid().Replace(text, "<UUID>");
        text = Timestamp().Replace(text, "<TIME>");
        text = ToolCallId().Replace(text, "<CALL_ID>");
        text = Elapsed().Replace(text, "<DURATION>");
        text = Duration().Replace(text, "<DURATION>");
        return MaskKeys(text);
    }

    public static string MaskKeys(string text) => KeyShaped().Replace(text, Masked);
}
