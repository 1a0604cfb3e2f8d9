using CtoHarness.Fixtures;

namespace CtoHarness.Workspace;

public static class WorkspaceBuilder
{
    /// <summary>Paths Case keeps its own runtime state in; never part of the agent's change.</summary>
    public const string CaseStateDirectory = ".case/";

    /// <summary>
    /// Copies only the fixture's sources (never its manifest or solution) and commits them as the one
    /// baseline commit. Returns that commit's id.
    /// </summary>
    public static string Create(Fixture fixture, string workspace)
    {
        CopySources(fixture.SourcesDirectory, workspace);
        Git.Run(workspace, "init", "--quiet", "--template=", "--initial-branch=baseline");
        var excludes = new[] { CaseStateDirectory }.Concat(fixture.Manifest.IgnoredPaths);
        var infoDirectory = Path.Combine(workspace, ".git", "info");
        Directory.CreateDirectory(infoDirectory);
        File.WriteAllLines(Path.Combine(infoDirectory, "exclude"), excludes);
        Git.Run(workspace, "add", "--all");
        Git.Run(workspace, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", $"ctoharness baseline: {fixture.Id}");
        return Git.Run(workspace, "rev-parse", "HEAD").Trim();
    }

    private static void CopySources(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                throw new FixtureInvalidException($"'{entry.FullName}' is a symbolic link; fixture sources must be plain files and folders.");
            }
            var target = Path.Combine(destination, entry.Name);
            if (entry is DirectoryInfo directory)
            {
                if (directory.Name != ".git")
                {
                    CopySources(directory.FullName, target);
                }
            }
            else if (((FileInfo)entry).Length == 0)
            {
                File.Create(target).Dispose(); // never open a zero-length entry: it may be a FIFO
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
