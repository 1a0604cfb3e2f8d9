namespace CtoHarness.Fixtures;

/// <summary>A loaded, validated fixture: its manifest plus resolved absolute paths.</summary>
public sealed record Fixture(FixtureManifest Manifest, string Directory, string SourcesDirectory, string? SolutionPatchPath)
{
    public string Id => Manifest.Id;

    public IEnumerable<string> AllTestIds => Manifest.FailToPass.Concat(Manifest.PassToPass);
}
