using System.Globalization;

namespace CtoHarness.Evidence;

/// <summary>The layout of one run's directory; every path the runner writes is named here.</summary>
public sealed class RunDirectory
{
    public const string ReportFileName = "report.json";
    private static readonly object CreateGate = new();

    private RunDirectory(string path)
    {
        Path = path;
        Id = System.IO.Path.GetFileName(path);
    }

    public string Id { get; }
    public string Path { get; }
    public string Workspace => Combine("workspace");
    public string Backend => Combine("backend");
    public string ReportPath => Combine(ReportFileName);
    public string PatchPath => Combine("changes", "changes.patch");
    public string ProviderStdout => Combine("backend", "provider.stdout.log");
    public string ProviderStderr => Combine("backend", "provider.stderr.log");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Relative(string path) => RunPaths.Relative(Path, path);

    /// <summary>
    /// Creates <c>&lt;runs&gt;/&lt;UTC yyyyMMddTHHmmssZ&gt;-&lt;fixture&gt;-&lt;pid&gt;</c>. The pid separates
    /// processes; within one process a suffix separates runs started in the same second.
    /// </summary>
    public static RunDirectory Create(string runsRoot, string fixtureKey, DateTimeOffset now)
    {
        var stem = $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{fixtureKey}-{Environment.ProcessId}";
        Directory.CreateDirectory(runsRoot);
        lock (CreateGate)
        {
            var candidate = System.IO.Path.Combine(runsRoot, stem);
            for (var n = 2; Directory.Exists(candidate); n++)
            {
                candidate = System.IO.Path.Combine(runsRoot, $"{stem}-{n}");
            }
            Directory.CreateDirectory(candidate);
            return new RunDirectory(candidate);
        }
    }
}
