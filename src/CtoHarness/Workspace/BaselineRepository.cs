namespace CtoHarness.Workspace;

/// <summary>
/// The harness's own record of the baseline: a git directory outside the workspace, over the workspace as
/// its work tree. Whatever the agent does to the workspace's own .git (reset, rewrite, delete), the change is
/// still measured against this baseline and protected files are still restored from it.
/// </summary>
public sealed record BaselineRepository(string GitDirectory, string WorkTree, string BaselineCommit)
{
    public string Run(params string[] arguments) =>
        Git.Run(WorkTree, [$"--git-dir={GitDirectory}", $"--work-tree={WorkTree}", .. arguments]);
}
