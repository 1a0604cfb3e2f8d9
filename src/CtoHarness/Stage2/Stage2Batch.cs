using System.Collections.Concurrent;
using CtoHarness.Attempts;
using CtoHarness.Contracts;
using CtoHarness.Relay;

namespace CtoHarness.Stage2;

public sealed record BatchOptions
{
    public int MaxParallel { get; init; } = Environment.ProcessorCount;
    public ShardSpec? Shard { get; init; }
    public RunSummary? Resume { get; init; }
    public string? ResumePath { get; init; }
    /// <summary>Attempts per pair (CtoHarnessAttempts) and how many must pass (CtoHarnessPassPolicy).</summary>
    public int Attempts { get; init; } = 1;
    public PassPolicy Policy { get; init; } = PassPolicy.All;
    /// <summary>Once the set's model calls cost this much, no further attempt starts (CtoHarnessSetMaxCost); null: no bound.</summary>
    public decimal? SetMaxCost { get; init; }
}

/// <summary>One pair of the set: its verdict under the policy and the attempts that ran, in order.</summary>
public sealed record PairResult(SummaryPair Summary, IReadOnlyList<Stage2Result> Attempts);

public sealed record BatchResult(IReadOnlyList<Stage2Result> Results, RunSummary Summary, IReadOnlyList<RunIdentity> OtherShards, IReadOnlyList<SummaryPair> Resumed)
{
    /// <summary>The pairs that were run here (not resumed), in the order planned.</summary>
    public IReadOnlyList<PairResult> Pairs { get; init; } = [];
}

/// <summary>
/// Runs a set of (fixture, lane) pairs: only those of the selected shard, skipping pairs that the resumed summary
/// already proves passed their policy with the same fixture, provider and model, each pair up to its attempts, up to
/// MaxParallel attempts at once, each in its own run directory. Attempts are started in order, pair by pair; one
/// whose pair's policy is already decided, or that would start after the set's cost budget is spent, is not started.
/// </summary>
public static class Stage2Batch
{
    public static BatchResult Run(IReadOnlyList<Stage2Request> requests, BatchOptions options, CancellationToken cancellation = default)
    {
        var planned = requests.Select(r => (Request: r, Identity: RunIdentity.Of(r))).ToList();
        var inShard = planned.Where(p => options.Shard?.Contains(p.Identity.FixtureId, p.Identity.Lane) ?? true).ToList();
        var otherShards = planned.Except(inShard).Select(p => p.Identity).ToList();

        var resumed = new List<SummaryPair>();
        var resumedRuns = new List<SummaryRun>();
        var toRun = new List<(Stage2Request Request, RunIdentity Identity)>();
        var earlierPairs = options.Resume?.PairsOrDerived() ?? [];
        foreach (var pair in inShard)
        {
            if (earlierPairs.FirstOrDefault(e => pair.Identity.IsSamePassAs(e, options.Policy, options.Attempts)) is { } earlier)
            {
                resumed.Add(earlier with { Resumed = true });
                resumedRuns.AddRange(options.Resume!.Runs.Where(r => r.PairKey == earlier.PairKey).Select(r => r with { Resumed = true }));
            }
            else
            {
                toRun.Add(pair);
            }
        }

        // Every request of a set carries the one CtoHarnessCurrency.
        var currency = requests.FirstOrDefault()?.Currency ?? ModelPrices.DefaultCurrency;
        var pairs = AttemptScheduler.Run(toRun.Select(p => p.Request).ToList(), options, cancellation)
            .Select((attempts, i) => new PairResult(PairSummary.Of(toRun[i].Identity, attempts.Tally, attempts.Results, options.SetMaxCost, currency), attempts.Results))
            .ToList();
        var results = pairs.SelectMany(p => p.Attempts).ToList();
        var identities = pairs.SelectMany((p, i) => p.Attempts.Select(_ => toRun[i].Identity)).ToList();

        var summary = new RunSummary { CreatedAt = DateTimeOffset.UtcNow, Shard = options.Shard, ResumedFrom = options.ResumePath, Currency = currency };
        summary.Pairs.AddRange(resumed);
        summary.Pairs.AddRange(pairs.Select(p => p.Summary));
        summary.Runs.AddRange(resumedRuns);
        summary.Runs.AddRange(results.Select((result, i) => PairSummary.Run(result, identities[i])));
        summary.Recount();
        return new BatchResult(results, summary, otherShards, resumed) { Pairs = pairs };
    }
}

/// <summary>
/// Starts the attempts of the pairs, in order, up to MaxParallel at once; each attempt checks, as it is about to
/// start, whether its pair is decided (early stop) or the set's budget is spent.
/// </summary>
internal static class AttemptScheduler
{
    public sealed record PairAttempts(PairTally Tally, IReadOnlyList<Stage2Result> Results);

    public static IReadOnlyList<PairAttempts> Run(IReadOnlyList<Stage2Request> pairs, BatchOptions options, CancellationToken cancellation)
    {
        var gate = new object();
        var spend = new SpendMeter();
        var tallies = pairs.Select(_ => new PairTally(options.Policy, options.Attempts)).ToList();
        var results = pairs.Select(_ => new Stage2Result?[options.Attempts]).ToList();
        var work = pairs.SelectMany((_, pair) => Enumerable.Range(1, options.Attempts).Select(attempt => (Pair: pair, Attempt: attempt))).ToList();
        // NoBuffering hands the attempts out one by one, in order, so a decision reached by one attempt is seen by the next.
        Parallel.ForEach(Partitioner.Create(work, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallel) },
            item =>
            {
                lock (gate)
                {
                    if (!tallies[item.Pair].TryStart(options.SetMaxCost is { } max && spend.Spent >= max))
                    {
                        return;
                    }
                }
                // Each run checks the token itself, so a cancelled set still leaves a cancelled report per attempt.
                var result = Stage2Runner.Run(ForAttempt(pairs[item.Pair], item.Attempt, options.Attempts, spend), cancellation);
                lock (gate)
                {
                    results[item.Pair][item.Attempt - 1] = result;
                    tallies[item.Pair].Finish(result.Passed);
                }
            });
        return tallies.Select((tally, i) => new PairAttempts(tally, results[i].OfType<Stage2Result>().ToList())).ToList();
    }

    private static Stage2Request ForAttempt(Stage2Request request, int attempt, int attempts, SpendMeter spend)
    {
        var (lane, launch) = request.Lane.ForAttempt(request.Launch, attempt);
        return request with { Lane = lane, Launch = launch, Attempt = attempt, Attempts = attempts, SetSpend = spend };
    }
}
