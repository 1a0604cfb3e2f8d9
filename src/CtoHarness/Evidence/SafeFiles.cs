namespace CtoHarness.Evidence;

/// <summary>
/// How the harness writes a file of its own into a run: always a new regular file. Whatever was at the path (a link,
/// a FIFO, a device, a stale file) is unlinked first, never followed or opened, so a planted entry can neither
/// redirect the write outside the run nor block it; a directory there is an error, not something to write through.
/// </summary>
public static class SafeFiles
{
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        if (new DirectoryInfo(directory).LinkTarget is not null)
        {
            throw new IOException($"'{directory}' is a link; the harness does not write through links");
        }
        var existing = new FileInfo(path);
        if (existing.Exists || existing.LinkTarget is not null)
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a directory");
        }
        // CreateNew is O_CREAT|O_EXCL: it never follows a link that appeared since.
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(bytes);
    }

    public static void WriteNew(string path, string text) => WriteNew(path, System.Text.Encoding.UTF8.GetBytes(text));
}
