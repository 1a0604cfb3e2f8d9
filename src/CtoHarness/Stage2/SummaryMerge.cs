using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

public sealed record MergeProblem(string Code, string File, string Message);

/// <summary>
/// Merges the summaries of the shards of one CaseStage2 set (e.g. downloaded CI artifacts) and checks that
/// every shard is there exactly once and passed.
/// </summary>
public static class SummaryMerge
{
    public static (RunSummary Merged, IReadOnlyList<MergeProblem> Problems) Merge(IReadOnlyList<string> summaryFiles)
    {
        var problems = new List<MergeProblem>();
        var shards = Read(summaryFiles, problems);
        var counts = shards.Select(s => s.Summary.Shard?.Count ?? 1).Distinct().ToList();
        var count = counts.Count == 1 ? counts[0] : 0;
        if (counts.Count > 1)
        {
            problems.Add(new(Diagnostics.SummaryUnreadable.Code, shards[0].File, $"the summaries come from different shard counts ({string.Join(", ", counts)})"));
        }
        foreach (var group in shards.GroupBy(s => s.Summary.Shard?.Index ?? 1))
        {
            if (group.Count() > 1)
            {
                problems.Add(new(Diagnostics.ShardDuplicated.Code, group.Last().File, $"shard {group.Key}/{count} is there more than once: {string.Join(", ", group.Select(g => g.File))}"));
            }
        }
        if (count > 0)
        {
            foreach (var missing in Enumerable.Range(1, count).Except(shards.Select(s => s.Summary.Shard?.Index ?? 1)))
            {
                problems.Add(new(Diagnostics.ShardMissing.Code, summaryFiles.FirstOrDefault() ?? "", $"shard {missing}/{count} is missing"));
            }
        }

        var currencies = shards.Select(s => s.Summary.Currency).Distinct().ToList();
        if (currencies.Count > 1)
        {
            problems.Add(new(Diagnostics.SummaryUnreadable.Code, shards[0].File, $"the summaries state their costs in different currencies ({string.Join(", ", currencies)}); their costs cannot be added"));
        }
        var merged = new RunSummary { CreatedAt = DateTimeOffset.UtcNow, Currency = currencies.FirstOrDefault() ?? ModelPrices.DefaultCurrency };
        foreach (var (file, summary) in shards.DistinctBy(s => s.Summary.Shard?.Index ?? 1))
        {
            foreach (var pair in summary.PairsOrDerived())
            {
                if (merged.Pairs.Any(p => p.PairKey == pair.PairKey))
                {
                    problems.Add(new(Diagnostics.ShardDuplicated.Code, file, $"the pair {pair.Fixture} on {pair.Lane} was run in more than one shard"));
                    continue;
                }
                var runs = summary.Runs.Where(r => r.PairKey == pair.PairKey).ToList();
                merged.Pairs.Add(pair);
                merged.Runs.AddRange(runs);
                if (pair.Verdict != RunStatus.Pass)
                {
                    problems.Add(NotPassed(pair, runs, file));
                }
            }
        }
        merged.Recount();
        return (merged, problems);
    }

    /// <summary>A pair of one attempt is named by its run; a pair of several by its policy's count.</summary>
    private static MergeProblem NotPassed(SummaryPair pair, IReadOnlyList<SummaryRun> runs, string file)
    {
        var failed = runs.FirstOrDefault(r => r.Status != RunStatus.Pass);
        return pair.Attempts == 1 && failed is not null
            ? new(Diagnostics.ShardNotPassed.Code, failed.ReportPath, $"{pair.Fixture} on {pair.Lane} ended {failed.Status.ToString().ToLowerInvariant()}: {failed.FailureReason} ({failed.ErrorCode}), in {file}")
            : new(Diagnostics.ShardNotPassed.Code, failed?.ReportPath ?? file, $"{pair.Fixture} on {pair.Lane} failed: {pair.VerdictReason}, in {file}");
    }

    private static List<(string File, RunSummary Summary)> Read(IReadOnlyList<string> summaryFiles, List<MergeProblem> problems)
    {
        var shards = new List<(string File, RunSummary Summary)>();
        foreach (var file in summaryFiles)
        {
            try
            {
                var summary = StrictJson.Deserialize<RunSummary>(File.ReadAllBytes(file), JsonFiles.Options);
                if (summary?.Schema != RunSummary.SchemaId)
                {
                    problems.Add(new(Diagnostics.SummaryUnreadable.Code, file, $"'{file}' is not a CtoHarness summary"));
                    continue;
                }
                shards.Add((file, summary));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                problems.Add(new(Diagnostics.SummaryUnreadable.Code, file, $"'{file}' cannot be read: {e.Message}"));
            }
        }
        return shards;
    }
}
