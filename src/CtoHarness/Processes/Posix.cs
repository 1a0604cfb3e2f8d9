using System.Runtime.InteropServices;

namespace CtoHarness.Processes;

internal static partial class Posix
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28; // struct statx has one layout on every Linux architecture
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int SysStatx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int SysMkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    public static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>Creates the directory only if nothing exists at <paramref name="path"/>: false when it was already there.</summary>
    public static bool CreateDirectoryExclusively(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path) || File.Exists(path))
            {
                return false;
            }
            Directory.CreateDirectory(path);
            return true;
        }
        if (SysMkdir(path, 0x1ED /* 0755 */) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == 17 /* EEXIST */ ? false : throw new IOException($"cannot create '{path}': {new System.ComponentModel.Win32Exception(errno).Message}");
    }

    /// <summary>True for a FIFO, socket or device (.NET's file APIs cannot tell them from regular files; opening a FIFO blocks).</summary>
    public static bool IsSpecialFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var buffer = new byte[256];
        if (SysStatx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return false; // gone: the caller's own read reports it
        }
        var mode = BitConverter.ToUInt16(buffer, StatxModeOffset);
        return (mode & TypeMask) != RegularFile && (mode & TypeMask) != 0x4000 && (mode & TypeMask) != 0xA000;
    }
}
