using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CtoHarness.Protocol;

/// <summary>
/// Which of Case's agents a model request comes from: the first heading of its system prompt (<c># Implementer</c>, …),
/// wherever the API style carries the prompt: a <c>system</c>/<c>developer</c> message (chat completions), the top-level
/// <c>system</c> (Anthropic Messages), <c>instructions</c> or a <c>system</c>/<c>developer</c> input item (Responses).
/// </summary>
public static partial class AgentRole
{
    public const string Unknown = "unknown";

    /// <summary>Case's agents, in the order of its standard pipeline: the names its config.json keys and prompt headings use.</summary>
    public static IReadOnlyList<string> Names { get; } = ["implementer", "verifier", "reviewer", "closer", "retrospective"];

    private static readonly Regex Heading = new($@"^#\s+(?<role>{string.Join("|", Names)})\b", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.Compiled);

    private static Regex RoleHeading() => Heading;

    public static string Of(JsonArray messages)
    {
        foreach (var message in messages.OfType<JsonObject>().Where(m => (string?)m["role"] is "system" or "developer"))
        {
            if (RoleHeading().Match(RequestInputs.TextOf(message)) is { Success: true } match)
            {
                return match.Groups["role"].Value.ToLowerInvariant();
            }
        }
        return Unknown;
    }

    /// <summary>The agent of a raw request body of any style, or <see cref="Unknown"/> when it is not a model request.</summary>
    public static string Of(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject request ? Of(request) : Unknown;
        }
        catch (System.Text.Json.JsonException)
        {
            return Unknown;
        }
    }

    public static string Of(JsonObject request)
    {
        if (request["messages"] is JsonArray messages && Of(messages) is var fromMessages && fromMessages != Unknown)
        {
            return fromMessages;
        }
        var prompt = request["system"] ?? request["instructions"];
        if (prompt is not null && RoleHeading().Match(RequestInputs.TextOf(new JsonObject { ["content"] = prompt.DeepClone() })) is { Success: true } match)
        {
            return match.Groups["role"].Value.ToLowerInvariant();
        }
        return request["input"] is JsonArray input ? Of(input) : Unknown;
    }
}
