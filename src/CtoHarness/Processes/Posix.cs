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

    [DllImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    private static extern int SysMemfdCreate([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int SysFcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint SysWrite(int fd, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int SysClose(int fd);

    public static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>
    /// Identity of a file's current contents without reading them: inode, size, change and modification times.
    /// Any write, truncation, replacement or chmod changes the change time, which no unprivileged process can set.
    /// </summary>
    public static string? ContentSignature(string path)
    {
        var buffer = new byte[256];
        if (!OperatingSystem.IsLinux() || SysStatx(AtFdCwd, path, 0, 0x7FF /* STATX_BASIC_STATS */, buffer) != 0)
        {
            return null;
        }
        return Convert.ToHexString(buffer, 32, 16) + Convert.ToHexString(buffer, 96, 32); // ino, size; ctime, mtime
    }

    private const uint MfdCloexec = 1;
    private const uint MfdAllowSealing = 2;
    private const int FAddSeals = 1033;
    private const int AllSeals = 1 | 2 | 4 | 8; // F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE

    /// <summary>An anonymous in-memory file (Linux memfd) that can be sealed; -1 where there is none.</summary>
    public static int CreateMemoryFile(string name) =>
        OperatingSystem.IsLinux() ? SysMemfdCreate(name, MfdCloexec | MfdAllowSealing) : -1;

    public static void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var written = SysWrite(fd, ref MemoryMarshal.GetReference(bytes), bytes.Length);
            if (written <= 0)
            {
                throw new IOException($"cannot write the in-memory copy: {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
            bytes = bytes[(int)written..];
        }
    }

    /// <summary>Seals the memory file for good: from now on nobody can write, shrink or grow it.</summary>
    public static bool Seal(int fd) => SysFcntl(fd, FAddSeals, AllSeals) == 0;

    public static void Close(int fd) => SysClose(fd);

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
