using System.Text;
using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;

namespace CtoHarness.Baselines;

/// <summary>A baseline test run as a later run may reuse it: its section of the report, every outcome, and which run made it.</summary>
public sealed record RecordedBaseline(TestRunSection Section, Dictionary<string, string> Outcomes, string RunId, DateTimeOffset RecordedAt);

/// <summary>A recorded baseline found for a run: the record, and the folder holding the files its run left (logs, results).</summary>
public sealed record FoundBaseline(RecordedBaseline Record, string Files, string Folder);

/// <summary>
/// Baseline test runs kept across runs, so that a run of a fixture whose baseline was already recorded with the same
/// inputs does not build and test the unchanged sources again (for a .NET fixture that is half the run). A record is
/// made by the harness, from a baseline run that ran before any provider and matched the fixture's declaration, and
/// sealed (<see cref="SealedFolder"/>): no program of any run can write it, and a record that no longer matches its
/// manifest is never used. The key covers everything that decides the baseline's outcome that the harness can see:
/// the fixture's digest (sources, manifest, test command, its environment), the harness's version, the environment the
/// tests get, the test program as installed, and how they are isolated (no sandbox, a sandbox, one at stable paths).
/// </summary>
public sealed class BaselineStore(string root)
{
    public const string RecordFileName = "baseline.record.json";
    private const string FilesName = "files";

    private readonly SealedFolder sealedFolder = new(root, FilesName);

    public string Root => root;

    /// <param name="isolation">How the tests run: without a sandbox, in one, in one at stable paths.</param>
    public static string KeyOf(string fixtureDigest, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string isolation)
    {
        var text = new StringBuilder();
        text.Append("harness ").Append(HarnessVersion.Current).Append('\n');
        text.Append("fixture ").Append(fixtureDigest).Append('\n');
        text.Append("command ").Append(JsonSerializer.Serialize(command)).Append('\n');
        foreach (var (name, value) in environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("environment ").Append(name).Append('=').Append(value).Append('\n');
        }
        text.Append(Toolchain.Describe(command[0], environment.GetValueOrDefault("PATH")));
        text.Append("isolation ").Append(isolation).Append('\n');
        return Sha256.OfBytes(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The record of <paramref name="key"/> when there is one that matches its manifest; else null and why (null: none yet).</summary>
    public (FoundBaseline? Found, string? Problem) Find(string key)
    {
        var (files, problem) = sealedFolder.Verified(key);
        if (files is null)
        {
            return (null, problem is null ? null : $"the baseline record {problem}");
        }
        try
        {
            var record = JsonSerializer.Deserialize<RecordedBaseline>(File.ReadAllBytes(Path.Combine(files, RecordFileName)), JsonFiles.Options);
            return record is null ? (null, $"the baseline record '{files}' is empty") : (new FoundBaseline(record, files, Path.Combine(root, key)), null);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return (null, $"the baseline record '{files}' cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// Records <paramref name="record"/> as <paramref name="key"/> with the files its run left (name, path); the record
    /// itself is written beside them first, as <see cref="RecordFileName"/>. False when nothing was recorded (one is there).
    /// </summary>
    public bool Keep(string key, RecordedBaseline record, string recordPath, IReadOnlyList<(string Name, string Path)> files)
    {
        JsonFiles.WriteAtomically(recordPath, record);
        return sealedFolder.Keep(key, files.Append((RecordFileName, recordPath)));
    }
}
