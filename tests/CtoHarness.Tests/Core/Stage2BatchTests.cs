using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Process")]
public sealed class Stage2BatchTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_pair_falls_in_exactly_one_shard(int count)
    {
        var pairs = Enumerable.Range(0, 200).SelectMany(i => new[] { ($"fixture-{i}", "fake"), ($"fixture-{i}", "case-qwen-local") }).ToList();

        foreach (var (fixture, lane) in pairs)
        {
            var owners = Enumerable.Range(1, count).Where(index => new ShardSpec(index, count).Contains(fixture, lane)).ToList();
            Assert.Single(owners);
            Assert.Equal(owners[0], ShardSpec.ShardOf(fixture, lane, count));
        }
        // Every shard gets work: the hash spreads pairs out.
        Assert.All(Enumerable.Range(1, count), index => Assert.Contains(pairs, p => new ShardSpec(index, count).Contains(p.Item1, p.Item2)));
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("1/1001")]
    public void Bad_shard_specs_are_refused(string text)
    {
        Assert.Null(ShardSpec.Parse(text));
    }

    [Fact]
    public void Parallel_runs_of_many_pairs_do_not_collide()
    {
        var fixtures = Enumerable.Range(1, 4).Select(i => Fixture($"slug-{i}")).ToList();
        var requests = fixtures.Select(f => FakeLane.Request(_temp.Combine("runs"), fixture: f)).ToList();

        var outcome = Stage2Batch.Run(requests, new BatchOptions { MaxParallel = 2 });

        Assert.Equal(4, outcome.Results.Select(r => r.Report.RunDirectory).Distinct().Count());
        Assert.All(outcome.Results, r => Assert.Equal(RunStatus.Pass, ReportAssert.Valid(r.ReportPath).Status));
        Assert.Equal(4, outcome.Summary.Totals.Passed);
        Assert.Equal(["slug-1", "slug-2", "slug-3", "slug-4"], outcome.Summary.Runs.Select(r => r.Fixture).Order());
        Assert.All(outcome.Results, r => Assert.Empty(RunProcesses.Surviving(r.Report)));
    }

    [Fact]
    public void Resume_skips_only_identical_passes()
    {
        var passing = Fixture("passing");
        var changed = Fixture("changed");
        var failing = Fixture("failing");
        Stage2Request Request(string fixture, string scenario = "fix") => FakeLane.Request(_temp.Combine("runs"), scenario, fixture);
        var first = Stage2Batch.Run([Request(passing), Request(changed), Request(failing, "noop")], new BatchOptions { MaxParallel = 2 });
        Assert.Equal(2, first.Summary.Totals.Passed);
        File.AppendAllText(Path.Combine(changed, "repo", "README.txt"), "changed after the first run\n");

        var second = Stage2Batch.Run(
            [Request(passing), Request(changed), Request(failing), Request(passing) with { ModelKey = "openai/another-model" }],
            new BatchOptions { Resume = first.Summary });

        Assert.Equal(["passing"], second.Resumed.Select(r => r.Fixture));
        Assert.Equal(["changed", "failing", "passing"], second.Results.Select(r => r.Report.Fixture.Id).Order());
        Assert.Equal(1, second.Summary.Totals.Resumed);
        Assert.Equal(4, second.Summary.Totals.Runs);
    }

    [Fact]
    public void Merging_shards_fails_on_a_missing_duplicated_or_failed_shard()
    {
        var requests = Enumerable.Range(1, 6).Select(i => FakeLane.Request(_temp.Combine("runs"), fixture: Fixture($"pair-{i}"))).ToList();
        var files = Enumerable.Range(1, 3).Select(index =>
        {
            var summary = Stage2Batch.Run(requests, new BatchOptions { Shard = new ShardSpec(index, 3), MaxParallel = 2 }).Summary;
            var file = _temp.Combine("shards", $"summary-{index}.json");
            JsonFiles.WriteAtomically(file, summary);
            return file;
        }).ToList();

        Assert.All(files, SchemaAssert.ValidSummary);
        var (merged, complete) = SummaryMerge.Merge(files);
        var mergedFile = _temp.Combine("shards", "merged.json");
        JsonFiles.WriteAtomically(mergedFile, merged);
        SchemaAssert.ValidSummary(mergedFile);
        var (_, missing) = SummaryMerge.Merge(files.Take(2).ToList());
        var (_, duplicated) = SummaryMerge.Merge([.. files, files[0]]);

        Assert.Empty(complete);
        Assert.Equal(6, merged.Totals.Runs);
        Assert.Equal(6, merged.Runs.Select(r => r.Fixture).Distinct().Count());
        Assert.Contains(missing, p => p.Code == "CTOH701" && p.Message.Contains("shard 3/3 is missing"));
        Assert.Contains(duplicated, p => p.Code == "CTOH702");

        var failedShard = Stage2Batch.Run([FakeLane.Request(_temp.Combine("runs"), "noop", Fixture("lonely"))], new BatchOptions()).Summary;
        var failedFile = _temp.Combine("shards", "failed.json");
        JsonFiles.WriteAtomically(failedFile, failedShard);
        var (_, failed) = SummaryMerge.Merge([failedFile]);
        Assert.Contains(failed, p => p.Code == "CTOH703" && p.Message.Contains("no changes"));
    }

    [Fact]
    public void Shards_keep_a_pair_s_attempts_together_and_the_merge_judges_pairs_by_their_policy()
    {
        // Attempt 2 of every pair makes no change: under "all" each pair fails after its second attempt (one at a time:
        // with two at once, attempt 3 may start while attempt 2 still runs, and then it finishes too).
        var requests = Enumerable.Range(1, 4).Select(i => FakeLane.Request(_temp.Combine("runs"), "fail-attempts:2", Fixture($"pair-{i}"))).ToList();
        var files = Enumerable.Range(1, 2).Select(index =>
        {
            var summary = Stage2Batch.Run(requests, new BatchOptions { Shard = new ShardSpec(index, 2), MaxParallel = 1, Attempts = 3 }).Summary;
            var file = _temp.Combine("shards", $"summary-{index}.json");
            JsonFiles.WriteAtomically(file, summary);
            return file;
        }).ToList();

        var (merged, problems) = SummaryMerge.Merge(files);

        Assert.Equal(4, merged.Pairs.Count);
        Assert.All(merged.Pairs, pair => Assert.Equal((RunStatus.Fail, 2, 1, 1), (pair.Verdict, pair.AttemptsRun, pair.AttemptsPassed, pair.AttemptsSaved)));
        // Every attempt of a pair ran in the shard that owns the pair.
        Assert.All(merged.Runs.GroupBy(r => r.Fixture), attempts => Assert.Equal([1, 2], attempts.Select(a => a.Attempt).Order()));
        Assert.Equal(4, problems.Count(p => p.Code == "CTOH703" && p.Message.Contains("1 of 3 passed, policy all")));
        Assert.Equal(4, merged.Totals.AttemptsSaved);
        var mergedFile = _temp.Combine("shards", "merged.json");
        JsonFiles.WriteAtomically(mergedFile, merged);
        SchemaAssert.ValidSummary(mergedFile);
    }

    [Fact]
    public void A_summary_from_before_attempts_merges_and_resumes_as_pairs_of_one_attempt()
    {
        var passing = Fixture("old-pass");
        var first = Stage2Batch.Run([FakeLane.Request(_temp.Combine("runs"), fixture: passing)], new BatchOptions()).Summary;
        // As written before attempts: no pairs, no attempt numbers.
        var old = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(first, JsonFiles.Options))!.AsObject();
        old.Remove("pairs");
        old.Remove("currency");
        foreach (var run in old["runs"]!.AsArray())
        {
            run!.AsObject().Remove("attempt");
            run.AsObject().Remove("attempts");
            run.AsObject().Remove("cost");
        }
        var file = _temp.Combine("old", "summary.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, old.ToJsonString());
        SchemaAssert.ValidSummary(file);
        var summary = StrictJson.Deserialize<RunSummary>(File.ReadAllBytes(file), JsonFiles.Options);

        var (merged, problems) = SummaryMerge.Merge([file]);
        var resumed = Stage2Batch.Run([FakeLane.Request(_temp.Combine("runs"), fixture: passing)], new BatchOptions { Resume = summary });

        Assert.Empty(problems);
        Assert.Equal(("old-pass", RunStatus.Pass, "all", 1), (merged.Pairs[0].Fixture, merged.Pairs[0].Verdict, merged.Pairs[0].Policy, merged.Pairs[0].Attempts));
        Assert.Equal(["old-pass"], resumed.Resumed.Select(p => p.Fixture));
        Assert.Empty(resumed.Results);
    }

    [Fact]
    public void Shards_that_state_costs_in_different_currencies_are_not_merged_silently()
    {
        var files = new[] { ("USD", 1), ("EUR", 2) }.Select(shard =>
        {
            var summary = new RunSummary { CreatedAt = DateTimeOffset.UtcNow, Shard = new ShardSpec(shard.Item2, 2), Currency = shard.Item1 };
            var file = _temp.Combine("currencies", $"summary-{shard.Item2}.json");
            JsonFiles.WriteAtomically(file, summary);
            return file;
        }).ToList();

        var (_, problems) = SummaryMerge.Merge(files);

        Assert.Contains(problems, p => p.Code == "CTOH704" && p.Message.Contains("different currencies (USD, EUR)"));
    }

    private string Fixture(string id)
    {
        var fixture = FixtureCopies.Copy(_temp.Combine("fixtures", id));
        FixtureCopies.EditManifest(fixture, m => m["id"] = id);
        return fixture;
    }
}
