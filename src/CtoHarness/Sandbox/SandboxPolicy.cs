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
}
