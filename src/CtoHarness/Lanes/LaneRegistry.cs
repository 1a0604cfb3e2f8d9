namespace CtoHarness.Lanes;

/// <summary>Every lane by name. Adding a lane is one class (or one more preset of an existing one) and one line here.</summary>
public static class LaneRegistry
{
    public static IReadOnlyList<Lane> All { get; } =
    [
        new FakeProviderLane(),
        new AdmittedModelLane(AdmittedModelLane.Id),
        new AdmittedModelLane("case-qwen-local", "qwen-local", "qwen3.6-35b-a3b"),
        new ScriptedModelLane(),
        new ReplayLane(),
    ];

    public static Lane? Find(string name) => All.FirstOrDefault(lane => lane.Name == name);

    public static IEnumerable<string> Names => All.Select(lane => lane.Name);
}
