namespace CtoHarness.Sandbox;

/// <summary>
/// The sandbox every program of one run runs in: bubblewrap (<paramref name="Tool"/>) with PID, mount, IPC, UTS
/// (and, where the policy says so, network) namespaces. <paramref name="Uid"/> is the user the programs run as when
/// the harness is root (never the harness's own); null when the harness is not root, and the programs then keep the
/// harness's uid inside a user namespace of their own. <paramref name="Hidden"/>: every folder no program sees, outermost first.
/// </summary>
public sealed record RunSandbox(string Tool, string Interpreter, int? Uid, SandboxLimits Limits, IReadOnlyList<string> Hidden)
{
    /// <summary>Paths every program of the run may read although they lie in a hidden folder (CtoHarnessSandboxReadOnly).</summary>
    public IReadOnlyList<string> Shown { get; init; } = [];

    public const string Kind = "bubblewrap";

    /// <summary>nobody/nogroup: an identity with no files of its own and no rights over the harness's.</summary>
    public const int DedicatedId = 65534;

    public const string DedicatedIdText = "65534";
}
