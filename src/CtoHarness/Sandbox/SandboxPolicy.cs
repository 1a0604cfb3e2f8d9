namespace CtoHarness.Sandbox;

public enum SandboxNetwork
{
    /// <summary>No network at all: a namespace with only its own loopback.</summary>
    None,
    /// <summary>
    /// Only the run's model relay: a namespace of its own whose loopback port of the relay is forwarded to the
    /// harness's <see cref="RelayBridge"/>, and nothing else.
    /// </summary>
    Relay,
    /// <summary>The host's network (a fixture's tests that restore packages).</summary>
    Host,
}

/// <summary>
/// What one program of a run may touch: the folders it may write (the workspace and the run's private home, tmp,
/// caches), extra files or folders it may read that the sandbox otherwise hides (a file the harness hands it), and
/// its network. Everything else of the run, other runs and the harness's home are absent; the rest of the system is
/// read-only.
/// </summary>
public sealed record SandboxPolicy(string Program, IReadOnlyList<string> Writable, IReadOnlyList<string> ReadOnly, SandboxNetwork Network)
{
    /// <summary>With <see cref="SandboxNetwork.Relay"/>: the bridge to the run's relay.</summary>
    public RelayBridge? Relay { get; init; }

    /// <summary>
    /// Writable folders the program sees at another path (outside → inside, below <see cref="StablePaths.Root"/>):
    /// the same in every run, so that what a build records of its paths holds in the next run too. Empty: each at its own path.
    /// </summary>
    public IReadOnlyDictionary<string, string> Inside { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the program sees <paramref name="path"/> (a path in or below a mapped folder), or the path itself.</summary>
    public string InsideOf(string path)
    {
        foreach (var (outside, inside) in Inside)
        {
            if (path == outside || path.StartsWith(outside + "/", StringComparison.Ordinal))
            {
                return inside + path[outside.Length..];
            }
        }
        return path;
    }
}

/// <summary>
/// Where a sandboxed program may see the folders of its run at paths that are the same in every run: below the
/// sandbox's own empty /tmp, so the folder needs nothing of the host (and exists only where /tmp is hidden).
/// </summary>
public static class StablePaths
{
    public const string Root = "/tmp/ctoharness-run";

    /// <summary>True when <paramref name="sandbox"/> puts an empty folder of its own over /tmp.</summary>
    public static bool Available(RunSandbox sandbox) => sandbox.Hidden.Contains("/tmp");
}
