using System.Runtime.InteropServices;

namespace CtoHarness.Processes;

internal static partial class Posix
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    public static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;
}
