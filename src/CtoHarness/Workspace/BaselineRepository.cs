using CtoHarness.Evidence;

namespace CtoHarness.Workspace;

/// <summary>
/// The harness's own record of the baseline: a git directory outside the workspace, over the workspace as
/// its work tree. Whatever the agent does to the workspace's own .git (reset, rewrite, delete), the change is
/// still measured against this baseline and protected files are still restored from it. The agent can reach
/// this directory too, so its every byte is fingerprinted when it is made, and the harness uses it after the
/// provider only if nothing changed (a planted config, hook or object would run or lie inside the harness).
/// </summary>
public sealed record BaselineRepository(string GitDirectory, string WorkTree, string BaselineCommit)
{
    private IReadOnlyDictionary<string, string> Fingerprint { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The harness's list of what is never part of the change (Case's state, the fixture's ignored paths); the
    /// harness reads only this one, never the .gitignore files in the workspace, which the agent can write.
    /// </summary>
    public string ExcludeFile => Path.Combine(GitDirectory, "info", "exclude");

    public string Run(params string[] arguments) =>
        Git.Run(WorkTree, [$"--git-dir={GitDirectory}", $"--work-tree={WorkTree}", .. arguments]);

    public byte[] RunRaw(params string[] arguments) =>
        Git.RunRaw(WorkTree, [$"--git-dir={GitDirectory}", $"--work-tree={WorkTree}", .. arguments]);

    /// <summary>
    /// Untracked paths as the harness's exclude list alone decides (never the workspace's .gitignore files), each as
    /// its bytes, relative to the work tree. <paramref name="ignored"/>: the ones it excludes, a whole folder as one.
    /// </summary>
    public IReadOnlyList<byte[]> Untracked(bool ignored) =>
        Split(RunRaw(["ls-files", "-z", "--others", .. ignored ? new[] { "--ignored", "--directory" } : [], $"--exclude-from={ExcludeFile}"]));

    private static List<byte[]> Split(byte[] zeroSeparated)
    {
        var entries = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < zeroSeparated.Length; i++)
        {
            if (zeroSeparated[i] == 0)
            {
                var end = i > start && zeroSeparated[i - 1] == (byte)'/' ? i - 1 : i;
                entries.Add(zeroSeparated[start..end]);
                start = i + 1;
            }
        }
        return entries;
    }

    /// <summary>This repository with its current contents as the ones to keep.</summary>
    public BaselineRepository Sealed() => this with { Fingerprint = Snapshot(GitDirectory) };

    /// <summary>Paths under the git directory that were added, removed or changed since <see cref="Sealed"/>.</summary>
    public IReadOnlyList<string> Tampered()
    {
        var now = Snapshot(GitDirectory);
        return now.Keys.Union(Fingerprint.Keys)
            .Where(path => now.GetValueOrDefault(path) != Fingerprint.GetValueOrDefault(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.Exists(directory)
            ? EvidenceManifest.Collect(directory).ToDictionary(f => f.Path, f => f.Describe())
            : [];
}
