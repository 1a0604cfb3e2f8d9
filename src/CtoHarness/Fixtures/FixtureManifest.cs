namespace CtoHarness.Fixtures;

/// <summary>fixture.json: what a fixture is, how it is tested and what the agent is asked to do.</summary>
public sealed class FixtureManifest
{
    public const string FileName = "fixture.json";

    public int SchemaVersion { get; set; }
    public string Id { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>The folder (relative to the fixture) whose contents become the workspace.</summary>
    public string Sources { get; set; } = "";
    public FixtureProject Project { get; set; } = new();
    public FixtureTask Task { get; set; } = new();
    public FixtureTests Tests { get; set; } = new();
    public List<string> FailToPass { get; set; } = [];
    public List<string> PassToPass { get; set; } = [];
    public List<string> ProtectedPaths { get; set; } = [];
    /// <summary>Workspace paths that are never part of the change (git exclude patterns), e.g. caches.</summary>
    public List<string> IgnoredPaths { get; set; } = [];
    /// <summary>The reference solution (relative to the fixture); only the fake lane ever sees it.</summary>
    public string? SolutionPatch { get; set; }
    /// <summary>Tests the agent never sees: laid over the workspace only for the final test runs.</summary>
    public FixtureHiddenTests? HiddenTests { get; set; }
}

/// <summary>
/// Tests added only for the final test runs, never visible to the agent (the fixture folder is hidden from every
/// program of a run): a folder of files copied over the workspace after the change is collected (e.g. the test file
/// with more cases), and the ids of its tests that must then pass.
/// </summary>
public sealed class FixtureHiddenTests
{
    public string Sources { get; set; } = "";
    public List<string> FailToPass { get; set; } = [];
    public List<string> PassToPass { get; set; } = [];
}

public sealed class FixtureProject
{
    public string? Language { get; set; }
    public string? PackageManager { get; set; }
    public string? SetupCommand { get; set; }
    public string? TestCommand { get; set; }
}

public sealed class FixtureTask
{
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
}

public sealed class FixtureTests
{
    public List<string> Command { get; set; } = [];
    public string Format { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 120;
    public Dictionary<string, string> Environment { get; set; } = [];
    /// <summary>
    /// True when the test command needs the network (a .NET fixture restores its packages from the feed); by default
    /// the tests run with no network at all.
    /// </summary>
    public bool Network { get; set; }
}
