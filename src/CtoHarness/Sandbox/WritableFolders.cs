using System.Runtime.InteropServices;

namespace CtoHarness.Sandbox;

/// <summary>The folders a sandboxed program may write: handed to its user before it starts, and measured while it runs.</summary>
public static class WritableFolders
{
    /// <summary>Everything below a folder but links: .NET would otherwise recurse through a link to a folder (to "/").</summary>
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Makes the folders, and gives them and everything in them to the sandbox's user (when it has one of its own).</summary>
    public static void HandOver(RunSandbox sandbox, IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            if (sandbox.Uid is not { } uid)
            {
                continue;
            }
            Chown(folder, uid);
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", Everything))
            {
                Chown(entry, uid); // a name that is not UTF-8 cannot be named here; what the sandbox made is its own already
            }
        }
    }

    /// <summary>
    /// After the run: everything in the run directory belongs to the harness's user again (as root, files the sandbox's
    /// user made would otherwise stay writable by that user, which every sandbox of every run shares).
    /// </summary>
    public static void Reclaim(string runDirectory)
    {
        if (!OperatingSystem.IsLinux() || !HarnessUser.IsRoot || !Directory.Exists(runDirectory))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(runDirectory, "*", Everything))
        {
            Chown(entry, 0);
        }
    }

    /// <summary>Bytes of the regular files under the folders (links are not followed).</summary>
    public static long BytesUnder(IEnumerable<string> folders)
    {
        long total = 0;
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", Everything))
            {
                if (file.LinkTarget is null)
                {
                    try
                    {
                        total += file.Length;
                    }
                    catch (IOException)
                    {
                        // gone while we looked
                    }
                }
            }
        }
        return total;
    }

    private static void Chown(string path, int id) => _ = LChown(path, id, id);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
