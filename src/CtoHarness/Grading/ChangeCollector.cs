using CtoHarness.Workspace;

namespace CtoHarness.Grading;

public sealed record CollectedChanges(IReadOnlyList<string> Files, string PatchPath, long PatchBytes);

/// <summary>
/// What the agent changed in the workspace against the harness's baseline, committed or not, whatever it did
/// to the workspace's own repository; Case's .case/ (and the fixture's ignored paths) are excluded.
/// </summary>
public static class ChangeCollector
{
    public static CollectedChanges Collect(BaselineRepository baseline, string patchPath)
    {
        baseline.Run("add", "--all");
        Directory.CreateDirectory(Path.GetDirectoryName(patchPath)!);
        baseline.Run("diff", "--cached", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", $"--output={patchPath}", baseline.BaselineCommit);
        var names = baseline.Run("diff", "--cached", "--name-only", "-z", baseline.BaselineCommit);
        var files = names.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        return new CollectedChanges(files, patchPath, new FileInfo(patchPath).Length);
    }
}
