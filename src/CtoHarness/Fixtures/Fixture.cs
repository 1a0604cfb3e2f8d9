namespace CtoHarness.Fixtures;

/// <summary>A loaded, validated fixture: its manifest plus resolved absolute paths.</summary>
public sealed record Fixture(FixtureManifest Manifest, string Directory, string SourcesDirectory, string? SolutionPatchPath)
{
    public string Id => Manifest.Id;

    /// <summary>The tests the agent is told of (and the baseline run checks).</summary>
    public IEnumerable<string> AllTestIds => Manifest.FailToPass.Concat(Manifest.PassToPass);

    /// <summary>The folder of hidden tests, laid over the workspace for the final test runs only; null when there are none.</summary>
    public string? HiddenTestsDirectory => Manifest.HiddenTests is { } hidden ? Path.Combine(Directory, hidden.Sources) : null;

    /// <summary>What must pass in the final test runs: the visible tests and the hidden ones.</summary>
    public IReadOnlyList<string> FinalFailToPass => [.. Manifest.FailToPass, .. Manifest.HiddenTests?.FailToPass ?? []];

    public IReadOnlyList<string> FinalPassToPass => [.. Manifest.PassToPass, .. Manifest.HiddenTests?.PassToPass ?? []];

    public IEnumerable<string> FinalTestIds => FinalFailToPass.Concat(FinalPassToPass);

    /// <summary>The hidden test files, relative to the workspace they are laid over.</summary>
    public IReadOnlyList<string> HiddenTestFiles => HiddenTestsDirectory is { } hidden
        ? [.. System.IO.Directory.EnumerateFiles(hidden, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(hidden, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
        : [];
}
