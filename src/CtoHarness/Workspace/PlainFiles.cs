using CtoHarness.Processes;

namespace CtoHarness.Workspace;

public static class PlainFiles
{
    /// <summary>
    /// Copies plain files and folders with their times, writable by their owner (a sealed source is read-only);
    /// links and special files are left behind, never followed, on either side: where the destination (e.g. a
    /// workspace the agent had) holds a link, nothing is written through it.
    /// </summary>
    public static void CopyTree(string source, string destination)
    {
        var info = new FileInfo(source);
        if (info.LinkTarget is not null || IsLink(destination))
        {
            return;
        }
        if (Directory.Exists(source))
        {
            if (File.Exists(destination))
            {
                return;
            }
            Directory.CreateDirectory(destination);
            foreach (var entry in Directory.EnumerateFileSystemEntries(source))
            {
                CopyTree(entry, Path.Combine(destination, Path.GetFileName(entry)));
            }
        }
        else if (info.Exists && !Posix.IsSpecialFile(source))
        {
            File.Copy(source, destination, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(destination) | UnixFileMode.UserWrite);
            }
            File.SetLastWriteTimeUtc(destination, info.LastWriteTimeUtc);
        }
    }

    /// <summary>True when no folder on the way from <paramref name="root"/> to <paramref name="relative"/>, nor the entry itself, is a link.</summary>
    public static bool NoLinkOnTheWay(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            if (IsLink(path))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
