using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

public sealed record BatchOptions
{
    public int MaxParallel { get; init; } = Environment.ProcessorCount;
    public ShardSpec? Shard { get; init; }
    public RunSummary? Resume { get; init; }
    public string? ResumePath { get; init; }
}

public sealed record BatchResult(IReadOnlyList<Stage2Result> Results, RunSummary Summary, IReadOnlyList<RunIdentity> OtherShards, IReadOnlyList<SummaryRun> Resumed);

/// <summary>
/// Runs a set of (fixture, lane) pairs: only those of the selected shard, skipping passes that the resumed
/// summary already proves for the same fixture, provider and model, and up to MaxParallel at once, each in
/// its own run directory.
/// </summary>
public static class Stage2Batch
{
    public static BatchResult Run(IReadOnlyList<Stage2Request> requests, BatchOptions options, CancellationToken cancellation = default)
    {
        var planned = requests.Select(r => (Request: r, Identity: RunIdentity.Of(r))).ToList();
        var inShard = planned.Where(p => options.Shard?.Contains(p.Identity.FixtureId, p.Identity.Lane) ?? true).ToList();
        var otherShards = planned.Except(inShard).Select(p => p.Identity).ToList();

        var resumed = new List<SummaryRun>();
        var toRun = new List<(Stage2Request Request, RunIdentity Identity)>();
        foreach (var pair in inShard)
        {
            if (options.Resume?.Runs.FirstOrDefault(pair.Identity.IsSamePassAs) is { } earlier)
            {
                resumed.Add(earlier with { Resumed = true });
            }
            else
            {
                toRun.Add(pair);
            }
        }

        var results = new Stage2Result[toRun.Count];
        // Each run checks the token itself, so a cancelled set still leaves a cancelled report per pair.
        Parallel.For(0, toRun.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallel) },
            i => results[i] = Stage2Runner.Run(toRun[i].Request, cancellation));

        var summary = new RunSummary { CreatedAt = DateTimeOffset.UtcNow, Shard = options.Shard, ResumedFrom = options.ResumePath };
        summary.Runs.AddRange(resumed);
        summary.Runs.AddRange(results.Select((result, i) => new SummaryRun
        {
            Fixture = result.Report.Fixture.Id,
            Lane = result.Report.Lane,
            Status = result.Report.Status,
            FailureReason = result.Report.FailureReason,
            ErrorCode = result.Report.ErrorCode,
            ReportPath = result.ReportPath,
            ReportSha256 = result.ReportSha256,
            ModelCalls = result.Report.Model.Traffic?.Calls,
            ModelTokens = result.Report.Model.Traffic?.TotalTokens,
            DurationMs = result.Report.DurationMs,
            FixtureDigest = toRun[i].Identity.FixtureDigest,
            ProviderSha256 = toRun[i].Identity.ProviderSha256,
            Model = toRun[i].Identity.Model,
        }));
        summary.Recount();
        return new BatchResult(results, summary, otherShards, resumed);
    }
}
