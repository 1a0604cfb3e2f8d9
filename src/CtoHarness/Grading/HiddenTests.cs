using CtoHarness.Fixtures;

namespace CtoHarness.Grading;

/// <summary>
/// Lays a fixture's hidden tests over the workspace, after the change is collected and before the final test runs:
/// the agent never saw them (the fixture folder is hidden from every program of a run), so a change that only
/// satisfies the visible tests fails them. What was there is replaced, a link included, never written through.
/// </summary>
public static class HiddenTests
{
    public static IReadOnlyList<string> Install(Fixture fixture, string workspace)
    {
        if (fixture.HiddenTestsDirectory is not { } hidden)
        {
            return [];
        }
        var files = fixture.HiddenTestFiles;
        foreach (var relative in files)
        {
            Evidence.SafeFiles.WriteNewInside(workspace, relative, File.ReadAllBytes(Path.Combine(hidden, relative)));
        }
        return files;
    }
}
