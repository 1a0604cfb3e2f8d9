using System.Runtime.InteropServices;

namespace CtoHarness.Sandbox;

/// <summary>The user the harness runs as: root may give the sandbox a user of its own, anyone else a user namespace.</summary>
public static class HarnessUser
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern int GetEuid();

    /// <summary>The effective uid (Linux and macOS); -1 on Windows.</summary>
    public static int EffectiveId => OperatingSystem.IsWindows() ? -1 : GetEuid();

    public static bool IsRoot => EffectiveId == 0;
}
