using System.Text.Json.Nodes;
using CtoHarness.Protocol;

namespace CtoHarness.ScriptedModel;

/// <summary>
/// The scripted model's part in a Case run. It tells the agent by the first heading of the system prompt
/// (<c># Implementer</c>, <c># Reviewer</c>, …) and the turn by the assistant messages already in the
/// conversation. The implementer reads the files the solution changes, writes them, runs the fixture's tests
/// and reports; the other agents look once (reviewer, closer, verifier) and report a completed result.
/// </summary>
public sealed class ScriptedAgent(SolutionPlay play, string scenario)
{
    /// <summary>
    /// The model's turns so far: assistant messages (chat completions, Anthropic Messages), or runs of assistant output
    /// items (a Responses <c>input</c> lists each earlier tool call as an item of its own, and a turn may make several).
    /// </summary>
    public static int TurnOf(JsonObject request)
    {
        if (request["messages"] is JsonArray messages)
        {
            return messages.OfType<JsonObject>().Count(m => (string?)m["role"] == "assistant");
        }
        var turns = 0;
        var inTurn = false;
        foreach (var item in (request["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var assistant = (string?)item["type"] is "function_call" || (string?)item["role"] == "assistant";
            turns += assistant && !inTurn ? 1 : 0;
            inTurn = assistant;
        }
        return turns;
    }

    public ModelAnswer Reply(string role, int turn)
    {
        var toolTurns = role switch
        {
            "implementer" => Implementer(),
            "reviewer" => [Bash("git diff --stat")],
            // The names the harness gave Case's shell (not the machine's own LANG, LC_*, TZ, PATH): the same on every
            // machine, so recorded sessions replay anywhere, and a test can see that no secret's name is among them.
            "closer" => [Bash("git status --short; env | cut -d= -f1 | grep -v -E '^(LANG|LANGUAGE|LC_.*|TZ|PATH|PWD|OLDPWD|SHLVL|_)$' | sort")],
            "verifier" => [Bash(play.TestCommand)],
            _ => [],
        };
        if (turn < toolTurns.Count)
        {
            return toolTurns[turn];
        }
        return ModelAnswer.Say(ScriptedModelScenario.RoleWithoutResult(scenario) == role
            ? $"I looked at the task as the {role} and I am done."
            : $"The {role} finished its part.{(scenario == ScriptedModelScenario.HostileText && role == "reviewer" ? $" {ScriptedModelScenario.HostileMarkup}" : "")}\n\n<<<AGENT_RESULT\n{Result(role).ToJsonString()}\nAGENT_RESULT>>>\n");
    }

    private List<ModelAnswer> Implementer()
    {
        var test = scenario switch
        {
            ScriptedModelScenario.ToolSleeps => "sleep 600",
            ScriptedModelScenario.ToolDetaches => $"(setsid sleep 601 </dev/null >/dev/null 2>&1 &) ; {play.TestCommand}",
            _ => play.TestCommand,
        };
        return
        [
            ModelAnswer.Call([.. play.Files.Select(f => new ToolCall("read", new JsonObject { ["path"] = f.Path }))]),
            .. scenario == ScriptedModelScenario.NoChange ? [] : new[] { ModelAnswer.Call([.. play.Files.Select(f => new ToolCall("write", new JsonObject { ["path"] = f.Path, ["content"] = f.Content }))]) },
            Bash(test),
        ];
    }

    private static ModelAnswer Bash(string command) => ModelAnswer.Call(new ToolCall("bash", new JsonObject { ["command"] = command }));

    private JsonObject Result(string role) => role switch
    {
        "implementer" => new JsonObject
        {
            ["status"] = "completed",
            ["summary"] = "Applied the fix and ran the tests.",
            ["artifacts"] = new JsonObject
            {
                ["filesChanged"] = new JsonArray([.. play.Files.Select(f => (JsonNode)f.Path)]),
                ["testsPassed"] = true,
            },
        },
        "reviewer" => new JsonObject
        {
            ["status"] = "completed",
            ["summary"] = "The change is small and covered by the tests.",
            ["findings"] = new JsonObject { ["critical"] = 0, ["warning"] = 0, ["info"] = 0 },
        },
        _ => new JsonObject { ["status"] = "completed", ["summary"] = $"The {role} has nothing to add." },
    };
}
