using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtoHarness.FakeCase;

/// <summary>Case's two output channels: `[unattended] ` lines on stdout, one JSON record per line on stderr.</summary>
internal static class CaseConsole
{
    public static void Say(string text)
    {
        Console.Out.WriteLine($"[unattended] {text}");
        Console.Out.Flush();
    }

    public static void Log(string level, string message, params (string Name, object? Value)[] fields)
    {
        var record = new JsonObject { ["level"] = level, ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["msg"] = message };
        foreach (var (name, value) in fields)
        {
            record[name] = JsonSerializer.SerializeToNode(value);
        }
        Console.Error.WriteLine(record.ToJsonString());
        Console.Error.Flush();
    }
}
