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
    public SummaryTotals Totals { get; set; } = new();
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
    };
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
