using System.Globalization;

namespace CtoHarness.Evidence;

/// <summary>The layout of one run's directory; every path the runner writes is named here.</summary>
public sealed class RunDirectory
{
    public const string ReportFileName = "report.json";
    private static readonly object CreateGate = new();
    private static readonly HashSet<string> IdsTakenByThisProcess = [];

    private RunDirectory(string path)
    {
        Path = path;
        Id = System.IO.Path.GetFileName(path);
    }

    public string Id { get; }
    public string Path { get; }
    public string Workspace => Combine("workspace");
    /// <summary>The harness's baseline repository, outside the workspace the agent works in.</summary>
    public string HarnessGit => Combine("baseline.git");
    public string Backend => Combine("backend");
    public string ReportPath => Combine(ReportFileName);
    public string PatchPath => Combine("changes", "changes.patch");
    public string ProviderStdout => Combine("backend", "provider.stdout.log");
    public string ProviderStderr => Combine("backend", "provider.stderr.log");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Relative(string path) => RunPaths.Relative(Path, path);

    /// <summary>The UTC time stamp that starts the names of run directories, summaries and health checks.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Creates <c>&lt;runs&gt;/&lt;UTC yyyyMMddTHHmmssZ&gt;-&lt;fixture&gt;-&lt;pid&gt;</c>. The pid separates
    /// processes; within one process a suffix separates runs started in the same second, whatever their
    /// runs directory, so that a run id names one run.
    /// </summary>
    public static RunDirectory Create(string runsRoot, string fixtureKey, DateTimeOffset now)
    {
        var stem = $"{Stamp(now)}-{fixtureKey}-{Environment.ProcessId}";
        Directory.CreateDirectory(runsRoot);
        lock (CreateGate)
        {
            var id = stem;
            for (var n = 2; IdsTakenByThisProcess.Contains(id) || Directory.Exists(System.IO.Path.Combine(runsRoot, id)); n++)
            {
                id = $"{stem}-{n}";
            }
            IdsTakenByThisProcess.Add(id);
            var path = System.IO.Path.Combine(runsRoot, id);
            Directory.CreateDirectory(path);
            return new RunDirectory(path);
        }
    }
}
