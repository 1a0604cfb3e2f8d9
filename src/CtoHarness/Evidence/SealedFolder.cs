using System.Text.Json;

namespace CtoHarness.Evidence;

/// <summary>
/// A content-addressed folder the harness keeps across runs, out of every program's reach: <c>&lt;root&gt;/&lt;key&gt;/</c>
/// holds <c>manifest.json</c> (the SHA-256 of every file) and a content folder. It is written once, through a staging
/// folder moved into place, and read-only; a reader trusts it only when every file still matches the manifest and
/// nothing in it is a link or a special file. A folder that does not match is never used, and never overwritten.
/// </summary>
public sealed class SealedFolder(string root, string contentName)
{
    public const string ManifestFileName = "manifest.json";

    /// <summary>Folders this process verified in full, with their manifest's time and length then.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime Time, long Length)> VerifiedHere = new(StringComparer.Ordinal);

    public string Root => root;

    /// <summary>The content folder of <paramref name="key"/> when it is there and matches its manifest; else null and why (null: none yet).</summary>
    /// <param name="trustEarlierCheck">
    /// Accept a folder this process already verified in full (its manifest unchanged) without hashing it again: for
    /// callers whose programs all ran sandboxed since, so that none could write it.
    /// </param>
    public (string? Content, string? Problem) Verified(string key, bool trustEarlierCheck = false)
    {
        var directory = Path.Combine(root, key);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var manifestFile = new FileInfo(manifestPath);
        if (!manifestFile.Exists)
        {
            return (null, null);
        }
        var stamp = (manifestFile.LastWriteTimeUtc, manifestFile.Length);
        if (!trustEarlierCheck)
        {
            // A caller whose programs could write the folder: no later caller may skip the check on the strength of an earlier one.
            VerifiedHere.TryRemove(directory, out _);
        }
        else if (VerifiedHere.TryGetValue(directory, out var earlier) && earlier == stamp)
        {
            return (Path.Combine(directory, contentName), null);
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(manifestPath)) ?? [];
            var content = Path.Combine(directory, contentName);
            var present = Files(content);
            if (present.Count != manifest.Count || present.Any(file => !manifest.TryGetValue(file.Relative, out var digest) || Sha256.OfFile(file.Path) != digest))
            {
                return (null, $"'{directory}' does not match its manifest");
            }
            if (trustEarlierCheck)
            {
                VerifiedHere[directory] = stamp;
            }
            return (content, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return (null, $"'{directory}' cannot be verified: {e.Message}");
        }
    }

    /// <summary>
    /// Seals a copy of <paramref name="files"/> (content-relative name, source path) as <paramref name="key"/>; a folder
    /// another run sealed first is kept instead. False when nothing was sealed.
    /// </summary>
    public bool Keep(string key, IEnumerable<(string Relative, string Source)> files)
    {
        var target = Path.Combine(root, key);
        if (Directory.Exists(target))
        {
            return false;
        }
        var staging = Path.Combine(root, $".{key}.{RunDirectory.UniqueSuffix()}");
        try
        {
            var manifest = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (relative, source) in files)
            {
                var destination = Path.Combine(staging, contentName, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(source, destination);
                File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source)); // build outputs must keep theirs
                manifest[relative] = Sha256.OfFile(destination);
            }
            Directory.CreateDirectory(Path.Combine(staging, contentName));
            File.WriteAllBytes(Path.Combine(staging, ManifestFileName), JsonSerializer.SerializeToUtf8Bytes(manifest));
            MakeReadOnly(staging);
            Directory.Move(staging, target);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            TryDelete(staging);
            return false;
        }
    }

    /// <summary>Every regular file below <paramref name="folder"/>, content-relative; a link or special file makes the folder unusable.</summary>
    public static List<(string Relative, string Path)> Files(string folder)
    {
        var files = new List<(string, string)>();
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null || (entry is FileInfo && (entry.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0))
            {
                throw new InvalidDataException($"'{entry.FullName}' is a link or a special file");
            }
            if (entry is FileInfo)
            {
                files.Add((System.IO.Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/'), entry.FullName));
            }
        }
        return files;
    }

    private static void MakeReadOnly(string folder)
    {
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode directory = file | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            return; // the sandbox, and so the runs that use sealed folders, are Linux only
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(path, file);
        }
        foreach (var path in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            File.SetUnixFileMode(path, directory);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !OperatingSystem.IsWindows())
            {
                foreach (var path in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A staging folder left behind has a dot name and is never used.
        }
    }
}
