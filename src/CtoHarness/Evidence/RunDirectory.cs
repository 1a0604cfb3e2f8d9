using System.Globalization;

namespace CtoHarness.Evidence;

/// <summary>The layout of one run's directory; every path the runner writes is named here.</summary>
public sealed class RunDirectory
{
    public const string ReportFileName = "report.json";
    public const string ReportDigestFileName = "report.json.sha256";
    /// <summary>The run page, a view of the report: like the report itself, not part of the manifest.</summary>
    public const string PageFileName = "report.html";

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
    public string ReportDigestPath => Combine(ReportDigestFileName);
    /// <summary>Caches of the provider's own builds: private to the run, removed when it ends.</summary>
    public string Cache => Combine("cache");
    /// <summary>
    /// Caches of the run's test runs (a .NET fixture's packages as the baseline restored them, its CLI home): written
    /// by the test runs only, read-only to the provider, removed when the run ends.
    /// </summary>
    public string TestCache => Combine("test-cache");
    /// <summary>The build outputs the baseline test run left in the workspace, kept out of the provider's reach; removed when the run ends.</summary>
    public string BaselineOutputs => Combine("baseline-outputs");
    /// <summary>The package folder of the run's test runs, a .NET fixture's restored packages.</summary>
    public string TestPackages => Combine("test-cache", "nuget-packages");
    /// <summary>The run's private, verified copy of the provider; removed when the run ends.</summary>
    public string VerifiedBinaries => Combine("backend", "bin");
    public string PatchPath => Combine("changes", "changes.patch");
    public string ProviderStdout => Combine("backend", "provider.stdout.log");
    public string ProviderStderr => Combine("backend", "provider.stderr.log");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Relative(string path) => RunPaths.Relative(Path, path);

    /// <summary>The UTC time stamp that starts the names of run directories, summaries and health checks.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Creates <c>&lt;runs&gt;/&lt;UTC yyyyMMddTHHmmssZ&gt;-&lt;fixture&gt;-&lt;random&gt;</c>, exclusively: the random part
    /// keeps apart builds on other machines, in other containers or PID namespaces sharing the runs directory,
    /// and an existing directory is never reused.
    /// </summary>
    public static RunDirectory Create(string runsRoot, string fixtureKey, DateTimeOffset now)
    {
        Directory.CreateDirectory(runsRoot);
        while (true)
        {
            var path = System.IO.Path.Combine(runsRoot, $"{Stamp(now)}-{fixtureKey}-{UniqueSuffix()}");
            if (Processes.Posix.CreateDirectoryExclusively(path))
            {
                return new RunDirectory(path);
            }
        }
    }

    /// <summary>12 random lowercase hex digits (48 bits).</summary>
    public static string UniqueSuffix() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
}
