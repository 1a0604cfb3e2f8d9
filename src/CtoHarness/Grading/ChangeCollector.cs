using CtoHarness.Workspace;

namespace CtoHarness.Grading;

public sealed record CollectedChanges(IReadOnlyList<string> Files, string PatchPath, long PatchBytes);

/// <summary>
/// What the agent changed in the workspace against the harness's baseline, committed or not, whatever it did
/// to the workspace's own repository; Case's .case/ (and the fixture's ignored paths) are excluded. A .gitignore the
/// agent writes hides nothing: untracked files are listed against the harness's exclude list only.
/// </summary>
public static class ChangeCollector
{
    public static CollectedChanges Collect(BaselineRepository baseline, string patchPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(patchPath)!);
        baseline.Run("add", "--update");
        if (baseline.Untracked(ignored: false) is { Count: > 0 } untracked)
        {
            var list = patchPath + ".untracked";
            File.WriteAllBytes(list, untracked.SelectMany(name => name.Append((byte)0)).ToArray());
            try
            {
                baseline.Run("--literal-pathspecs", "add", "--force", $"--pathspec-from-file={list}", "--pathspec-file-nul");
            }
            finally
            {
                File.Delete(list);
            }
        }
        baseline.Run("diff", "--cached", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", $"--output={patchPath}", baseline.BaselineCommit);
        var names = baseline.Run("diff", "--cached", "--name-only", "-z", baseline.BaselineCommit);
        var files = names.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        return new CollectedChanges(files, patchPath, new FileInfo(patchPath).Length);
    }
}
