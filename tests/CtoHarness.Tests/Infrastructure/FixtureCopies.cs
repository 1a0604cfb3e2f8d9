using System.Text.Json.Nodes;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>Writable copies of the built-in fixture, for tests that break it on purpose.</summary>
public static class FixtureCopies
{
    public static string Copy(string destinationRoot, string? fixture = null)
    {
        var source = fixture ?? TestPaths.SlugifyFixture;
        var destination = Path.Combine(destinationRoot, Path.GetFileName(source));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return destination;
    }

    public static void EditManifest(string fixture, Action<JsonObject> edit)
    {
        var path = Path.Combine(fixture, "fixture.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    /// <summary>
    /// A copy of the built-in fixture whose reference solution is whatever <paramref name="change"/> does to
    /// the sources: a partial fix, a regression, a flaky fix. The fake lane then applies that solution.
    /// </summary>
    public static string WithSolution(string destinationRoot, Action<string> change, string? source = null)
    {
        var fixture = Copy(destinationRoot, source);
        var scratch = Path.Combine(destinationRoot, "solution-scratch");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(fixture, "repo"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(scratch, Path.GetRelativePath(Path.Combine(fixture, "repo"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        CtoHarness.Workspace.Git.Run(scratch, "init", "--quiet", "--template=");
        CtoHarness.Workspace.Git.Run(scratch, "add", "--all");
        CtoHarness.Workspace.Git.Run(scratch, "commit", "--quiet", "-m", "base");
        change(scratch);
        // New, ignored and binary files too: a solution may plant anything a provider could.
        CtoHarness.Workspace.Git.Run(scratch, "add", "--all", "--force");
        File.WriteAllText(Path.Combine(fixture, "solution.patch"), CtoHarness.Workspace.Git.Run(scratch, "diff", "--cached", "--binary"));
        return fixture;
    }

    /// <summary>Applies the fixture's own reference solution in a scratch copy of its sources.</summary>
    public static void ApplyReferenceSolution(string scratch, string fixture) =>
        CtoHarness.Workspace.Git.Run(scratch, "apply", Path.Combine(fixture, "solution.patch"));
}
