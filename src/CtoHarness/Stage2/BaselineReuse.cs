using CtoHarness.Baselines;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Grading;
using CtoHarness.Processes;
using CtoHarness.Workspace;

namespace CtoHarness.Stage2;

/// <summary>
/// A run's baseline test run taken from the record an earlier run made with the same inputs, when there is one that
/// still matches its manifest, and recorded for later runs when this run made it (docs/design.md "Reused baselines").
/// </summary>
internal sealed class BaselineReuse(BaselineStore store, string key, bool withOutputs)
{
    private const string FilePrefix = "baseline.";
    private const string OutputsFolder = "outputs";
    private const string TestCacheFolder = "test-cache";

    /// <summary>How this run used the records: reused, recorded, or why neither (the report's <c>tests.baselineRecord</c>).</summary>
    public string? Note { get; private set; }

    /// <summary>Why the record found could not be used (it does not match its manifest, or cannot be read); null otherwise.</summary>
    private string? _unusable;

    /// <summary>The build outputs the reused baseline left (kept with its record), or null.</summary>
    public string? Outputs { get; private set; }

    /// <summary>
    /// Reuse for this run; null when the request keeps no records (CtoHarnessReuseBaseline=false, the fixture check).
    /// The baseline's build outputs are kept with the record only where the tests see their folders at the same paths
    /// in every run (they record their paths); elsewhere a run that reuses a baseline builds from the sources alone.
    /// </summary>
    public static BaselineReuse? For(RunContext context, PreflightResult preflight, FixtureTestRunner tests)
    {
        if (context.Request.BaselineRecordsDirectory is not { } root || context.Preflight?.FixtureDigest is not { } digest)
        {
            return null;
        }
        var isolation = preflight.Sandbox is null ? "none" : tests.StablePaths ? $"sandbox, at {Sandbox.StablePaths.Root}" : "sandbox";
        var key = BaselineStore.KeyOf(digest, context.Fixture.Manifest.Tests.Command, AllowedEnvironment.FromCurrentProcess(), isolation);
        return new BaselineReuse(new BaselineStore(root), key, tests.StablePaths);
    }

    /// <summary>The recorded baseline with its files copied into the run's tests folder; null (and why, in <see cref="Note"/>) when none can be used.</summary>
    public TestRun? Reuse(RunDirectory run)
    {
        var (found, problem) = store.Find(key);
        if (found is null)
        {
            _unusable = problem;
            Note = problem ?? "none recorded yet";
            return null;
        }
        Directory.CreateDirectory(run.Combine("tests"));
        foreach (var (name, path) in SealedFolder.Files(found.Files).Where(file => file.Relative.StartsWith(FilePrefix, StringComparison.Ordinal)))
        {
            PlainFiles.CopyTree(path, run.Combine("tests", name));
        }
        Outputs = Directory.Exists(Path.Combine(found.Files, OutputsFolder)) ? Path.Combine(found.Files, OutputsFolder) : null;
        // What the baseline's restore left in the tests' own caches (NuGet's HTTP cache, the CLI's home): the provider
        // gets a copy of it, and finds it as it would after a baseline of its own run.
        if (Directory.Exists(Path.Combine(found.Files, TestCacheFolder)))
        {
            PlainFiles.CopyTree(Path.Combine(found.Files, TestCacheFolder), run.TestCache);
        }
        var section = found.Record.Section;
        section.Reused = new ReusedBaseline { RunId = found.Record.RunId, RecordedAt = found.Record.RecordedAt, Record = found.Folder };
        Note = $"reused {found.Folder}";
        return new TestRun(section, found.Record.Outcomes);
    }

    /// <summary>Records nothing, and says why.</summary>
    public void Skip(string why) => Note = why;

    /// <summary>
    /// Records this run's baseline for later runs: called once it matched the fixture's declaration and its build
    /// outputs were kept, before any provider ran. Its files are the run's <c>tests/baseline.*</c> (logs, results, the
    /// observer's and the sandbox's records) and, where paths are stable, the kept build outputs and what the restore
    /// left in the tests' own caches (<c>test-cache/</c>: read by the provider too).
    /// </summary>
    public void Record(RunDirectory run, TestRun baseline)
    {
        if (baseline.Section is { TimedOut: true } or { FrameworkTampering.Count: > 0 })
        {
            Note = "not recorded: the baseline timed out or its test framework was rebound";
            return;
        }
        var files = new DirectoryInfo(run.Combine("tests")).EnumerateFiles($"{FilePrefix}*")
            .Where(file => file.LinkTarget is null && !Posix.IsSpecialFile(file.FullName))
            .Select(file => (file.Name, file.FullName))
            .ToList();
        try
        {
            if (withOutputs && Directory.Exists(run.BaselineOutputs))
            {
                files.AddRange(SealedFolder.Files(run.BaselineOutputs).Select(file => ($"{OutputsFolder}/{file.Relative}", file.Path)));
            }
            if (withOutputs && Directory.Exists(run.TestCache))
            {
                files.AddRange(SealedFolder.Files(run.TestCache).Select(file => ($"{TestCacheFolder}/{file.Relative}", file.Path)));
            }
        }
        catch (InvalidDataException e)
        {
            Note = $"not recorded: {e.Message}";
            return;
        }
        var record = new RecordedBaseline(baseline.Section, new Dictionary<string, string>(baseline.Outcomes), run.Id, DateTimeOffset.UtcNow);
        var recorded = store.Keep(key, record, run.Combine("tests", BaselineStore.RecordFileName), files);
        Note = recorded ? $"recorded {Path.Combine(store.Root, key)}"
            : _unusable is { } problem ? $"not reused: {problem}; the run ran its own baseline (delete the record to record it again)"
            : "not recorded: another run recorded it first, or it could not be written";
    }
}
