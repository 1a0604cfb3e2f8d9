using System.Text;
using CtoHarness.Evidence;

namespace CtoHarness.Fixtures;

public static class FixtureDigest
{
    /// <summary>SHA-256 over every file of the fixture (path and content), independent of file order and location.</summary>
    public static string Compute(string fixtureDirectory)
    {
        var lines = new StringBuilder();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(fixtureDirectory, "*", options)
                     .Select(p => (Full: p, Relative: RunPaths.Relative(fixtureDirectory, p)))
                     .OrderBy(p => p.Relative, StringComparer.Ordinal))
        {
            lines.Append(Sha256.OfFile(path.Full)).Append("  ").Append(path.Relative).Append('\n');
        }
        return Sha256.OfBytes(Encoding.UTF8.GetBytes(lines.ToString()));
    }
}
