namespace CtoHarness.Contracts;

/// <summary>summary.json: every (fixture, lane) pair of one CaseStage2 invocation (or one shard of it), with totals.</summary>
public sealed class RunSummary
{
    public const string SchemaId = "https://ctoharness.dev/schemas/stage2-summary/v1";

    public string Schema { get; set; } = SchemaId;
    public string HarnessVersion { get; set; } = CtoHarness.HarnessVersion.Current;
    public DateTimeOffset CreatedAt { get; set; }
    public ShardSpec? Shard { get; set; }
    /// <summary>The summary whose passes were reused (CtoHarnessResume), if any.</summary>
    public string? ResumedFrom { get; set; }
    /// <summary>The currency of every cost in the summary (CtoHarnessCurrency).</summary>
    public string Currency { get; set; } = ModelPrices.DefaultCurrency;
    public SummaryTotals Totals { get; set; } = new();
    /// <summary>Each (fixture, lane) pair with its policy's verdict over its attempts.</summary>
    public List<SummaryPair> Pairs { get; set; } = [];
    /// <summary>Every attempt that ran (or was resumed), each with its own status.</summary>
    public List<SummaryRun> Runs { get; set; } = [];

    public void Recount() => Totals = new SummaryTotals
    {
        Runs = Runs.Count,
        Passed = Runs.Count(r => r.Status == RunStatus.Pass),
        Failed = Runs.Count(r => r.Status == RunStatus.Fail),
        Blocked = Runs.Count(r => r.Status == RunStatus.Blocked),
        Errors = Runs.Count(r => r.Status == RunStatus.Error),
        Cancelled = Runs.Count(r => r.Status == RunStatus.Cancelled),
        Resumed = Runs.Count(r => r.Resumed),
        Pairs = Pairs.Count,
        PairsPassed = Pairs.Count(p => p.Verdict == RunStatus.Pass),
        AttemptsSaved = Pairs.Sum(p => p.AttemptsSaved),
        AttemptsNotRunForBudget = Pairs.Sum(p => p.AttemptsNotRunForBudget),
        Cost = ModelPrices.Total(Runs.Select(r => (r.ModelCalls is not null, r.Cost))),
    };

    /// <summary>The set's model cost as pages and logs say it: an amount, "no price", or "no model calls" when no run talked to a model.</summary>
    public string CostText() => Runs.All(r => r.ModelCalls is null) ? "no model calls" : Money.Format(Totals.Cost, Currency);

    /// <summary>The pairs, or for a summary written before attempts existed, one pair per run (1 attempt, policy all).</summary>
    public IReadOnlyList<SummaryPair> PairsOrDerived() => Pairs.Count > 0 || Runs.Count == 0 ? Pairs : Runs.Select(SummaryPair.OfSingleRun).ToList();
}

public sealed class SummaryTotals
{
    public int Runs { get; set; }
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Blocked { get; set; }
    public int Errors { get; set; }
    public int Cancelled { get; set; }
    public int Resumed { get; set; }
    public int Pairs { get; set; }
    public int PairsPassed { get; set; }
    /// <summary>Attempts not started because their pair's policy was already decided (early stop).</summary>
    public int AttemptsSaved { get; set; }
    /// <summary>Attempts not started because the set's cost budget was spent.</summary>
    public int AttemptsNotRunForBudget { get; set; }
    /// <summary>What the set's model calls cost; null when some run that talked to a model had no price.</summary>
    public decimal? Cost { get; set; }
}

/// <summary>A (fixture, lane) pair: its attempts against its pass policy.</summary>
public sealed record SummaryPair
{
    public string Fixture { get; set; } = "";
    public string Lane { get; set; } = "";
    /// <summary><c>pass</c> when the policy passed; otherwise <c>fail</c> (the attempts say why).</summary>
    public RunStatus Verdict { get; set; }
    /// <summary>Why the pair did not pass, in one line (the count, the policy, the budget); null when it passed.</summary>
    public string? VerdictReason { get; set; }
    public string Policy { get; set; } = "all";
    /// <summary>The attempts the pair may make (CtoHarnessAttempts), those that ran, passed, were saved by early stop, or not run for budget.</summary>
    public int Attempts { get; set; } = 1;
    public int AttemptsRun { get; set; }
    public int AttemptsPassed { get; set; }
    public int AttemptsSaved { get; set; }
    public int AttemptsNotRunForBudget { get; set; }
    /// <summary>Passes over attempts run, with its 95% Wilson interval; null when none ran.</summary>
    public double? PassRate { get; set; }
    public double? PassRateLow { get; set; }
    public double? PassRateHigh { get; set; }
    /// <summary>What the pair's attempts cost; null when one that talked to a model had no price.</summary>
    public decimal? Cost { get; set; }
    public string? FixtureDigest { get; set; }
    public string? ProviderSha256 { get; set; }
    public string Model { get; set; } = "";
    public bool Resumed { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string PairKey => $"{Fixture}\n{Lane}";

    /// <summary>The pass rate and its interval as pages show them: <c>75% (30%–95%)</c>, or — when no attempt ran.</summary>
    public string PassRateText() => PassRate is { } rate
        ? $"{Percent(rate)}{(PassRateLow is { } low && PassRateHigh is { } high ? $" ({Percent(low)}–{Percent(high)})" : "")}"
        : "—";

    private static string Percent(double value) => (value * 100).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static SummaryPair OfSingleRun(SummaryRun run) => new()
    {
        Fixture = run.Fixture,
        Lane = run.Lane,
        Verdict = run.Status == RunStatus.Pass ? RunStatus.Pass : RunStatus.Fail,
        VerdictReason = run.Status == RunStatus.Pass ? null : run.FailureReason,
        AttemptsRun = 1,
        AttemptsPassed = run.Status == RunStatus.Pass ? 1 : 0,
        Cost = run.Cost,
        FixtureDigest = run.FixtureDigest,
        ProviderSha256 = run.ProviderSha256,
        Model = run.Model,
        Resumed = run.Resumed,
    };
}

public sealed record SummaryRun
{
    public string Fixture { get; set; } = "";
    public string Lane { get; set; } = "";
    public RunStatus Status { get; set; }
    public string? FailureReason { get; set; }
    public string? ErrorCode { get; set; }
    public string ReportPath { get; set; } = "";
    public long DurationMs { get; set; }
    public string? FixtureDigest { get; set; }
    public string? ProviderSha256 { get; set; }
    public string Model { get; set; } = "";
    /// <summary>Model calls the relay saw and the tokens the endpoint reported (null where no relay ran).</summary>
    public int? ModelCalls { get; set; }
    public long? ModelTokens { get; set; }
    /// <summary>What the run's model calls cost at the declared prices; null with no price or no model.</summary>
    public decimal? Cost { get; set; }
    /// <summary>Which attempt of its pair the run was, of how many.</summary>
    public int Attempt { get; set; } = 1;
    public int Attempts { get; set; } = 1;
    /// <summary>The SHA-256 of the run's report.json as written; CaseStage2Verify checks the report against it.</summary>
    public string? ReportSha256 { get; set; }
    /// <summary>True when this pass was taken over from the resumed summary instead of being run again.</summary>
    public bool Resumed { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string PairKey => $"{Fixture}\n{Lane}";
}

/// <summary>Shard <c>Index</c> of <c>Count</c> (1-based), as in <c>-p:CtoHarnessShard=2/4</c>.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    public const int MaxCount = 1000;

    public static ShardSpec? Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], out var index) && int.TryParse(parts[1], out var count) &&
               count is >= 1 and <= MaxCount && index >= 1 && index <= count
            ? new ShardSpec(index, count)
            : null;
    }

    /// <summary>A stable hash of (fixture id, lane) picks the one shard every pair belongs to, on any machine.</summary>
    public bool Contains(string fixtureId, string lane) => ShardOf(fixtureId, lane, Count) == Index;

    public static int ShardOf(string fixtureId, string lane, int count)
    {
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{fixtureId}\n{lane}"));
        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) % (ulong)count) + 1;
    }

    public override string ToString() => $"{Index}/{Count}";
}
