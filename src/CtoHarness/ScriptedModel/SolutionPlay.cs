using CtoHarness.Fixtures;
using CtoHarness.Workspace;

namespace CtoHarness.ScriptedModel;

/// <summary>The fixture's reference solution as the model plays it: each changed file and its final content, and how to run the tests.</summary>
public sealed record SolutionPlay(IReadOnlyList<(string Path, string Content)> Files, string TestCommand)
{
    /// <summary>Applies the solution to a scratch copy of the fixture's sources (under <paramref name="scratch"/>) and reads the result.</summary>
    public static SolutionPlay From(Fixture fixture, string scratch)
    {
        var solution = fixture.SolutionPatchPath
            ?? throw new FixtureInvalidException($"fixture '{fixture.Id}' has no reference solution (solutionPatch), which the scripted model plays");
        CopyDirectory(fixture.SourcesDirectory, scratch);
        var changed = Git.Run(scratch, "apply", "--numstat", solution)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')[^1])
            .ToList();
        Git.Run(scratch, "apply", solution);
        var files = changed.Select(path => (path, File.ReadAllText(Path.Combine(scratch, path)))).ToList();
        var command = string.Join(' ', fixture.Manifest.Tests.Command.Select(Quote));
        return new SolutionPlay(files, fixture.Manifest.Project.TestCommand is { Length: > 0 } declared ? declared : command);
    }

    private static string Quote(string argument) =>
        argument.All(c => char.IsLetterOrDigit(c) || "-_./=:".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''")}'";

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
