using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CtoHarness.Processes;

/// <summary>
/// Linux directory entries by their bytes. .NET decodes file names as UTF-8 and replaces what is not, after which
/// such a file can no longer be named; here a name stays the bytes it is, and is shown escaped (<c>\xNN</c>) only
/// where it is not UTF-8. Files are opened without following links and without blocking (a FIFO never hangs).
/// </summary>
internal static class RawDirectory
{
    private const int OReadOnly = 0;
    private const int ONonBlock = 0x800;
    private const int ONoFollow = 0x20000;
    private const int OCloexec = 0x80000;
    private const int DirentNameOffset = 19; // glibc struct dirent64 on every 64-bit Linux: ino, off, reclen, type, name
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    public const int Directory = 0x4000;
    public const int Regular = 0x8000;
    public const int Link = 0xA000;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    [DllImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static extern nint OpenDir(byte[] path);

    [DllImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static extern nint ReadDir(nint directory);

    [DllImport("libc", EntryPoint = "closedir")]
    private static extern int CloseDir(nint directory);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static extern nint ReadLinkRaw(byte[] path, byte[] buffer, nint size);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameRaw(byte[] from, byte[] to);

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MakeDirectoryRaw(byte[] path, uint mode);

    private const int AlreadyExists = 17;

    public static byte[] PathBytes(string path) => Encoding.UTF8.GetBytes(path);

    /// <summary>
    /// Moves <paramref name="relative"/> (a file, link or folder, never followed) from under <paramref name="root"/> to
    /// the same place under <paramref name="destinationRoot"/> on the same file system, making the folders on the way.
    /// </summary>
    public static void MoveInto(string root, byte[] relative, string destinationRoot)
    {
        System.IO.Directory.CreateDirectory(destinationRoot);
        var destination = Join(PathBytes(destinationRoot), relative);
        var prefix = PathBytes(destinationRoot).Length;
        for (var i = prefix + 1; i < destination.Length; i++)
        {
            if (destination[i] == (byte)'/' && MakeDirectoryRaw([.. destination[..i], 0], 0x1C0) != 0 && Marshal.GetLastPInvokeError() != AlreadyExists)
            {
                throw new IOException($"cannot make '{Display(destination[..i])}': {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
        }
        if (RenameRaw([.. Join(PathBytes(root), relative), 0], [.. destination, 0]) != 0)
        {
            throw new IOException($"cannot move '{Display(relative)}': {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    public static byte[] Join(byte[] directory, byte[] name) => [.. directory, (byte)'/', .. name];

    /// <summary>The names in the directory (not "." or ".."), as bytes.</summary>
    public static List<byte[]> Names(byte[] directory)
    {
        var handle = OpenDir([.. directory, 0]);
        if (handle == 0)
        {
            throw new IOException($"cannot list '{Display(directory)}': {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        var names = new List<byte[]>();
        try
        {
            nint entry;
            while ((entry = ReadDir(handle)) != 0)
            {
                var name = NullTerminated(entry + DirentNameOffset);
                if (!name.AsSpan().SequenceEqual("."u8) && !name.AsSpan().SequenceEqual(".."u8))
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            CloseDir(handle);
        }
        return names;
    }

    private static byte[] NullTerminated(nint at)
    {
        var length = 0;
        while (Marshal.ReadByte(at, length) != 0)
        {
            length++;
        }
        var bytes = new byte[length];
        Marshal.Copy(at, bytes, 0, length);
        return bytes;
    }

    /// <summary>File type bits and size, without following a link; null when it is gone.</summary>
    public static (int Type, long Size)? Stat(byte[] path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, [.. path, 0], AtSymlinkNoFollow, 0x7FF, buffer) != 0)
        {
            return null;
        }
        return (BitConverter.ToUInt16(buffer, 28) & 0xF000, BitConverter.ToInt64(buffer, 40));
    }

    /// <summary>A regular file, opened to read without following a link or blocking.</summary>
    public static FileStream OpenToRead(byte[] path)
    {
        var fd = Open([.. path, 0], OReadOnly | ONoFollow | ONonBlock | OCloexec);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{Display(path)}': {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1 << 20);
    }

    public static string LinkTarget(byte[] path)
    {
        var buffer = new byte[4096];
        var length = ReadLinkRaw([.. path, 0], buffer, buffer.Length);
        return length < 0 ? "" : Display(buffer.AsSpan(0, (int)length).ToArray());
    }

    /// <summary>The name as text: itself when it is UTF-8; otherwise every byte that is not, as <c>\xNN</c>.</summary>
    public static string Display(byte[] name)
    {
        try
        {
            return StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            var text = new StringBuilder();
            var at = 0;
            while (at < name.Length)
            {
                var length = FirstRuneLength(name.AsSpan(at));
                if (length > 0)
                {
                    text.Append(Encoding.UTF8.GetString(name, at, length));
                    at += length;
                }
                else
                {
                    text.Append($"\\x{name[at]:x2}");
                    at++;
                }
            }
            return text.ToString();
        }
    }

    private static int FirstRuneLength(ReadOnlySpan<byte> bytes) =>
        System.Text.Rune.DecodeFromUtf8(bytes, out _, out var consumed) == System.Buffers.OperationStatus.Done ? consumed : 0;
}
