using System.Text;
using System.Text.Json;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;

namespace CtoHarness.Packages;

/// <summary>
/// Restored NuGet packages kept once per .NET fixture, so that later runs do not restore from the network again:
/// content-addressed (the key is a digest of every file that decides what is restored, and of the runtime), taken from
/// a run's own package folder right after its baseline tests (before any provider ran), written read-only, with a
/// manifest of every file's digest. A run verifies the whole folder against its manifest before it uses it, and then
/// only as a read-only fallback folder: its own package folder stays private and empty of what the cache has.
/// </summary>
public sealed class NuGetPackageCache(string root)
{
    public const string ManifestFileName = "manifest.json";
    public const string PackagesFolderName = "packages";

    private static readonly string[] RestoreInputs = [".csproj", ".fsproj", ".vbproj", ".props", ".targets"];
    private static readonly string[] RestoreInputNames = ["global.json", "nuget.config", "packages.lock.json"];

    public string Root => root;

    /// <summary>The cache key of a fixture restored with NuGet; null for any other fixture.</summary>
    public static string? KeyOf(Fixture fixture)
    {
        if (!string.Equals(fixture.Manifest.Project.PackageManager, "nuget", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var text = new StringBuilder($"runtime {Environment.Version}\n");
        var inputs = Directory.EnumerateFiles(fixture.SourcesDirectory, "*", SearchOption.AllDirectories)
            .Where(file => RestoreInputs.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) ||
                           RestoreInputNames.Contains(Path.GetFileName(file), StringComparer.OrdinalIgnoreCase))
            .Select(file => (Relative: Path.GetRelativePath(fixture.SourcesDirectory, file).Replace('\\', '/'), File: file))
            .OrderBy(input => input.Relative, StringComparer.Ordinal);
        foreach (var (relative, file) in inputs)
        {
            text.Append(relative).Append(' ').Append(Sha256.OfFile(file)).Append('\n');
        }
        return Sha256.OfBytes(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The packages folder of <paramref name="key"/> when it is there and every file matches its manifest; else null and why.</summary>
    public (string? Packages, string? Problem) Verified(string key)
    {
        var directory = Path.Combine(root, key);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return (null, null);
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(manifestPath)) ?? [];
            var packages = Path.Combine(directory, PackagesFolderName);
            var present = Files(packages);
            if (present.Count != manifest.Count || present.Any(file => !manifest.TryGetValue(file.Relative, out var digest) || Sha256.OfFile(file.Path) != digest))
            {
                return (null, $"the package cache '{directory}' does not match its manifest");
            }
            return (packages, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return (null, $"the package cache '{directory}' cannot be verified: {e.Message}");
        }
    }

    /// <summary>
    /// Keeps a copy of <paramref name="restored"/> (a run's package folder after its baseline) as <paramref name="key"/>,
    /// read-only; a folder of another run that got there first is kept instead. False when nothing was kept.
    /// </summary>
    public bool Keep(string key, string restored)
    {
        var target = Path.Combine(root, key);
        if (Directory.Exists(target) || !Directory.Exists(restored))
        {
            return false;
        }
        var staging = Path.Combine(root, $".{key}.{RunDirectory.UniqueSuffix()}");
        try
        {
            var manifest = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (relative, path) in Files(restored))
            {
                var destination = Path.Combine(staging, PackagesFolderName, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(path, destination);
                manifest[relative] = Sha256.OfFile(destination);
            }
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

    /// <summary>Every regular file below <paramref name="folder"/>; a link or special file makes the folder unusable.</summary>
    private static List<(string Relative, string Path)> Files(string folder)
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
                files.Add((Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/'), entry.FullName));
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
            return; // the sandbox, and so the runs that use the cache, are Linux only
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
