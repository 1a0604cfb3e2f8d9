using CtoHarness.Fixtures;

namespace CtoHarness.Workspace;

public static class WorkspaceBuilder
{
    /// <summary>The folder at the workspace's root Case keeps its own runtime state in; never part of the agent's change.</summary>
    public const string CaseStateFolder = ".case";

    /// <summary>
    /// The time every source file of a workspace has: the same in every run, and older than any build output, so that
    /// the build outputs of a recorded baseline are up to date for the unchanged sources of a later run's workspace.
    /// </summary>
    public static readonly DateTime SourcesTime = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Copies only the fixture's sources (never its manifest or solution) into the workspace and commits them
    /// twice as the one baseline commit: in the workspace's own repository, for Case and the model, and in the
    /// harness's repository outside the workspace (<paramref name="harnessGitDirectory"/>), which grading uses.
    /// </summary>
    public static BaselineRepository Create(Fixture fixture, string workspace, string harnessGitDirectory)
    {
        CopySources(fixture.SourcesDirectory, workspace);
        var excludes = new[] { $"/{CaseStateFolder}/" }.Concat(fixture.Manifest.IgnoredPaths).ToList();
        var message = $"ctoharness baseline: {fixture.Id}";

        Git.Run(workspace, "init", "--quiet", "--template=", "--initial-branch=baseline");
        CommitAll(Path.Combine(workspace, ".git"), excludes, message, args => Git.Run(workspace, args));

        Git.Run(workspace, $"--git-dir={harnessGitDirectory}", "init", "--quiet", "--template=", "--initial-branch=baseline");
        var harness = new BaselineRepository(harnessGitDirectory, workspace, "");
        var commit = CommitAll(harnessGitDirectory, excludes, message, harness.Run);
        return (harness with { BaselineCommit = commit }).Sealed();
    }

    private static string CommitAll(string gitDirectory, IEnumerable<string> excludes, string message, Func<string[], string> git)
    {
        var info = Path.Combine(gitDirectory, "info");
        Directory.CreateDirectory(info);
        File.WriteAllLines(Path.Combine(info, "exclude"), excludes);
        git(["add", "--all"]);
        git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", message]);
        return git(["rev-parse", "HEAD"]).Trim();
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
            File.SetLastWriteTimeUtc(target, SourcesTime);
        }
    }
}
