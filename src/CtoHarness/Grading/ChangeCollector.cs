using CtoHarness.Workspace;

namespace CtoHarness.Grading;

public sealed record CollectedChanges(IReadOnlyList<string> Files, string PatchPath, long PatchBytes);

/// <summary>What the agent changed against the baseline commit, committed or not; Case's .case/ is excluded.</summary>
public static class ChangeCollector
{
    public static CollectedChanges Collect(string workspace, string baselineCommit, string patchPath)
    {
        Git.Run(workspace, "add", "--all");
        Directory.CreateDirectory(Path.GetDirectoryName(patchPath)!);
        Git.Run(workspace, "diff", "--cached", "--binary", "--no-color", "--no-ext-diff", $"--output={patchPath}", baselineCommit);
        var names = Git.Run(workspace, "diff", "--cached", "--name-only", "-z", baselineCommit);
        var files = names.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        return new CollectedChanges(files, patchPath, new FileInfo(patchPath).Length);
    }
}
