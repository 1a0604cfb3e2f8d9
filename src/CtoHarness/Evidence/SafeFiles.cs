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

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="root"/> (a folder the run's programs could write): no folder on
    /// the way may be a link, so the write cannot leave <paramref name="root"/>.
    /// </summary>
    public static void WriteNewInside(string root, string relative, ReadOnlySpan<byte> bytes)
    {
        var folder = Path.GetFullPath(root);
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts[..^1])
        {
            folder = Path.Combine(folder, part);
            if (new DirectoryInfo(folder).LinkTarget is not null || File.Exists(folder))
            {
                File.Delete(folder); // a link or file where a folder of the fixture belongs: replaced, never followed
            }
            Directory.CreateDirectory(folder);
        }
        WriteNew(Path.Combine(folder, parts[^1]), bytes);
    }

    public static void WriteNew(string path, string text) => WriteNew(path, System.Text.Encoding.UTF8.GetBytes(text));
}
