using System.Text.Json.Nodes;

namespace CtoHarness.FakeCase;

/// <summary>Case's runtime state under &lt;workspace&gt;/.case/: the plan, the run log and the event log.</summary>
internal sealed class CaseState
{
    private readonly string _runLog;
    private readonly string _events;

    public CaseState(string workspace, string taskId)
    {
        var root = Path.Combine(workspace, ".case");
        Directory.CreateDirectory(Path.Combine(root, "events"));
        _runLog = Path.Combine(root, "run-log.jsonl");
        _events = Path.Combine(root, "events", $"run-{Guid.NewGuid()}.jsonl");
        File.WriteAllText(Path.Combine(root, "plan.md"), $"# Plan for {taskId}\n\n1. implement\n2. close\n");
        Event("pipeline_start", ("task", taskId));
    }

    public void Event(string type, params (string Name, string? Value)[] fields)
    {
        var record = new JsonObject { ["type"] = type, ["time"] = DateTimeOffset.UtcNow.ToString("O") };
        foreach (var (name, value) in fields)
        {
            record[name] = value;
        }
        File.AppendAllText(_events, record.ToJsonString() + "\n");
        File.AppendAllText(_runLog, record.ToJsonString() + "\n");
    }
}
