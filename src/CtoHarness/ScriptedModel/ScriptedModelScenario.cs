namespace CtoHarness.ScriptedModel;

/// <summary>What the scripted model does: play the fixture's solution, or misbehave in one named way.</summary>
public static class ScriptedModelScenario
{
    public const string Solve = "solve";
    /// <summary>Never answers a request (holds every connection open until the run ends).</summary>
    public const string Silent = "silent";
    /// <summary>The implementer's test command sleeps far past any timeout.</summary>
    public const string ToolSleeps = "tool-sleeps";
    /// <summary>The implementer's test command also starts a detached process that outlives Case.</summary>
    public const string ToolDetaches = "tool-detaches";
    /// <summary>Every answer is megabytes of text with no result block.</summary>
    public const string Flood = "flood";
    /// <summary>The first chunks of an answer, then the connection is cut.</summary>
    public const string DropStream = "drop-stream";
    /// <summary>Answers the first three calls, then the endpoint is gone (connections refused): dies mid-run.</summary>
    public const string Vanish = "vanish";
    /// <summary>Solves, but the reviewer's answer carries markup and script meant for whoever displays it.</summary>
    public const string HostileText = "hostile-text";
    public const string HostileMarkup = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"><a href=\"javascript:document.title='pwned'\">click me</a>";
    /// <summary>The implementer reads and tests but writes nothing, then reports success: a run with no change.</summary>
    public const string NoChange = "no-change";
    public const int CallsBeforeVanishing = 3;
    public const string NoResultPrefix = "no-result-";
    public const string HttpPrefix = "http-";

    public static IReadOnlyList<string> Roles => Protocol.AgentRole.Names;
    public static readonly int[] HttpStatuses = [401, 404, 429, 500, 529];

    public static IReadOnlyList<string> All { get; } =
    [
        Solve, NoChange, Silent, ToolSleeps, ToolDetaches, Flood, DropStream, Vanish, HostileText,
        .. Roles.Select(role => NoResultPrefix + role),
        .. HttpStatuses.Select(status => HttpPrefix + status),
    ];

    public static bool IsKnown(string scenario) => All.Contains(scenario);

    /// <summary>The role whose final answer has no AGENT_RESULT block, for <c>no-result-&lt;role&gt;</c>.</summary>
    public static string? RoleWithoutResult(string scenario) =>
        scenario.StartsWith(NoResultPrefix, StringComparison.Ordinal) ? scenario[NoResultPrefix.Length..] : null;

    /// <summary>The HTTP status every chat request gets, for <c>http-&lt;status&gt;</c>.</summary>
    public static int? HttpStatus(string scenario) =>
        scenario.StartsWith(HttpPrefix, StringComparison.Ordinal) && int.TryParse(scenario[HttpPrefix.Length..], out var status) ? status : null;
}
