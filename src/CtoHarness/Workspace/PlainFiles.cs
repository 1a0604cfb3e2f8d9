using CtoHarness.Processes;

namespace CtoHarness.Workspace;

public static class PlainFiles
{
    /// <summary>Copies plain files and folders with their times; links and special files are left behind, never followed.</summary>
    public static void CopyTree(string source, string destination)
    {
        var info = new FileInfo(source);
        if (info.LinkTarget is not null)
        {
            return;
        }
        if (Directory.Exists(source))
        {
            Directory.CreateDirectory(destination);
            foreach (var entry in Directory.EnumerateFileSystemEntries(source))
            {
                CopyTree(entry, Path.Combine(destination, Path.GetFileName(entry)));
            }
        }
        else if (info.Exists && !Posix.IsSpecialFile(source))
        {
            File.Copy(source, destination, overwrite: true);
            File.SetLastWriteTimeUtc(destination, info.LastWriteTimeUtc);
        }
    }
}
