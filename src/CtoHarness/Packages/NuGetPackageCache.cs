using System.Text;
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
    public const string ManifestFileName = SealedFolder.ManifestFileName;
    public const string PackagesFolderName = "packages";

    private static readonly string[] RestoreInputs = [".csproj", ".fsproj", ".vbproj", ".props", ".targets"];
    private static readonly string[] RestoreInputNames = ["global.json", "nuget.config", "packages.lock.json"];

    private SealedFolder Sealed { get; } = new(root, PackagesFolderName);

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
    /// <param name="sandboxed">
    /// The runs' programs are sandboxed, where the cache is never writable: a folder this build process verified in
    /// full already is not hashed again (about 130 MB for the C# fixture, 0.4-1 s a run on a 2-core machine).
    /// </param>
    public (string? Packages, string? Problem) Verified(string key, bool sandboxed = false)
    {
        var (packages, problem) = Sealed.Verified(key, trustEarlierCheck: sandboxed);
        return (packages, problem is null ? null : $"the package cache {problem}");
    }

    /// <summary>
    /// Keeps a copy of <paramref name="restored"/> (a run's package folder after its baseline) as <paramref name="key"/>,
    /// read-only; a folder of another run that got there first is kept instead. False when nothing was kept.
    /// </summary>
    public bool Keep(string key, string restored)
    {
        if (!Directory.Exists(restored))
        {
            return false;
        }
        try
        {
            return Sealed.Keep(key, SealedFolder.Files(restored));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return false;
        }
    }
}
