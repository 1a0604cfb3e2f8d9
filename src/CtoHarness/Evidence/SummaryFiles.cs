using CtoHarness.Contracts;

namespace CtoHarness.Evidence;

/// <summary>summary.json on disk: a new file per invocation (or shard), never one another build also writes.</summary>
public static class SummaryFiles
{
    /// <summary>Where a summary goes when no path is given: beside the runs, named by time, a random part and shard.</summary>
    public static string DefaultPath(string runsDirectory, ShardSpec? shard) =>
        Path.Combine(runsDirectory, $"summary-{RunDirectory.Stamp(DateTimeOffset.UtcNow)}-{RunDirectory.UniqueSuffix()}{(shard is null ? "" : $"-shard-{shard.Index}-of-{shard.Count}")}.json");

    /// <summary>Writes a summary to a default path, which must not exist yet: a name is claimed exclusively, never shared.</summary>
    public static string WriteNew(string runsDirectory, ShardSpec? shard, RunSummary summary)
    {
        Directory.CreateDirectory(runsDirectory);
        while (true)
        {
            var path = DefaultPath(runsDirectory, shard);
            try
            {
                new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }
            JsonFiles.WriteAtomically(path, summary);
            return path;
        }
    }
}
