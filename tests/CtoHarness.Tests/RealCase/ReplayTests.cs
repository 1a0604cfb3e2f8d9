using System.Text.Json.Nodes;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Lanes;
using CtoHarness.Replay;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>Record a model session once (the real `ca` against the scripted model), replay it with the real `ca`.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class ReplayTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private (Stage2Report Report, string Cassette) Record(string? fixture = null)
    {
        var recorded = Stage2Runner.Run(RealCa.Scripted(_temp.Combine("recorded"), fixture: fixture)).Report;
        Assert.True(recorded.Status == RunStatus.Pass, $"{recorded.FailureReason}: {recorded.Message}");
        var path = _temp.Combine($"{recorded.Fixture.Id}.cassette.json");
        CassetteExport.FromRun(recorded.RunDirectory).Write(path);
        SchemaAssert.ValidCassette(path);
        return (recorded, path);
    }

    private Stage2Request Replay(string cassette, string? fixture = null, string? profile = null)
    {
        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [fixture ?? TestPaths.SlugifyFixture],
            Lane = ReplayLane.Id,
            RunsDirectory = _temp.Combine("replayed"),
            TimeoutSeconds = "60",
            CaseLockFile = RealCa.LockFile,
            CaseLockFileIsExplicit = true,
            ModelCassette = cassette,
            CaseProfile = profile,
            ReuseBaseline = "false",
        });
        Assert.Empty(errors);
        return Assert.Single(requests);
    }

    [Fact]
    public void A_recorded_session_replays_to_the_same_change_and_test_results()
    {
        var (recorded, cassette) = Record();

        var result = Stage2Runner.Run(Replay(cassette));

        var replayed = ReportAssert.Valid(result.ReportPath);
        Assert.True(replayed.Status == RunStatus.Pass, $"{replayed.FailureReason}: {replayed.Message}");
        Assert.Equal("replay", replayed.Model.Upstream);
        Assert.Equal("ctoharness-replay", replayed.Model.Requested!.Provider);
        Assert.Equal(recorded.Changes.PatchSha256, replayed.Changes.PatchSha256);
        Assert.Equal(recorded.Tests.Final!.Results.Select(r => (r.Id, r.Outcome)), replayed.Tests.Final!.Results.Select(r => (r.Id, r.Outcome)));
        Assert.Equal(recorded.Model.Traffic!.Calls, replayed.Model.Traffic!.Calls);
        Assert.Empty(RunProcesses.Surviving(replayed));
    }

    [Fact]
    public void A_changed_task_text_diverges_at_the_implementers_first_call_with_a_readable_marker()
    {
        var (_, cassette) = Record();
        var changed = FixtureCopies.Copy(_temp.Combine("changed"));
        FixtureCopies.EditManifest(changed, m => m["task"]!["body"] = m["task"]!["body"]!.GetValue<string>() + " Keep the function pure.");

        var result = Stage2Runner.Run(Replay(cassette, changed));

        var report = ReportAssert.Ended(result, FailureKind.ReplayDiverged);
        Assert.Contains("call 1 (implementer) diverged", report.Message);
        var marker = File.ReadAllText(result.EvidencePath);
        Assert.Contains("recorded: …", marker);
        Assert.Contains("replayed: …", marker);
        Assert.Contains("Keep the function pure.", marker);
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void A_different_case_profile_diverges_where_the_pipelines_part()
    {
        var (_, cassette) = Record();

        var report = ReportAssert.Ended(Stage2Runner.Run(Replay(cassette, profile: "standard")), FailureKind.ReplayDiverged);

        Assert.Contains("the cassette's call is the reviewer's, this one the verifier's; recorded with profile tiny", report.Message);
    }

    [Fact]
    public void A_key_planted_in_a_recorded_body_is_masked_on_export()
    {
        var recorded = Stage2Runner.Run(RealCa.Scripted(_temp.Combine("recorded"))).Report;
        var planted = $"tok-{Guid.NewGuid():N}";
        var keyShaped = $"sk-proj-{Guid.NewGuid():N}";
        var body = Directory.GetFiles(Path.Combine(recorded.RunDirectory, "backend", "model"), "004-*.response.txt").Single();
        File.AppendAllText(body, $"\nthe model leaked {planted} and {keyShaped}\n");
        Environment.SetEnvironmentVariable("CTOHARNESS_TEST_PLANTED_TOKEN", planted);
        try
        {
            var path = _temp.Combine("masked.cassette.json");
            CassetteExport.FromRun(recorded.RunDirectory).Write(path);

            var text = File.ReadAllText(path);
            Assert.DoesNotContain(planted, text);
            Assert.DoesNotContain(keyShaped, text);
            Assert.Contains($"the model leaked {SecretRedactor.Mask} and {SecretRedactor.Mask}", text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CTOHARNESS_TEST_PLANTED_TOKEN", null);
        }
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("wrong schema")]
    [InlineData("edited request")]
    [InlineData("null calls")]
    [InlineData("unknown api")]
    public void A_broken_cassette_is_a_configuration_error_before_any_run(string broken)
    {
        var shipped = File.ReadAllText(Path.Combine(TestPaths.SlugifyFixture, ReplayLane.FixtureCassetteFileName));
        var path = _temp.Combine("broken.cassette.json");
        var node = JsonNode.Parse(shipped)!;
        File.WriteAllText(path, broken switch
        {
            "truncated" => shipped[..(shipped.Length / 2)],
            "wrong schema" => Edit(node, n => n["schemaVersion"] = 7),
            "edited request" => Edit(node, n => n["calls"]![0]!["request"] = "{}"),
            "unknown api" => Edit(node, n => n["api"] = "google-generative-ai"),
            _ => Edit(node, n => n["calls"] = null),
        });

        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = ReplayLane.Id,
            RunsDirectory = _temp.Combine("runs"),
            ModelCassette = path,
        });

        Assert.Empty(requests);
        Assert.Equal("CTOH024", Assert.Single(errors).Code);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
    }

    [Fact]
    public void The_shipped_cassettes_are_valid_and_replay_with_the_admitted_ca()
    {
        var shipped = TestPaths.BuiltInFixtures
            .SelectMany(fixture => Directory.GetFiles(fixture, "model.cassette*.json").Select(cassette => (fixture, cassette)))
            .ToList();
        // One per built-in fixture in chat completions (C# and JavaScript included), and r1 in each other API style Case speaks.
        Assert.All(TestPaths.BuiltInFixtures, fixture => Assert.True(File.Exists(Path.Combine(fixture, ReplayLane.FixtureCassetteFileName)), $"{fixture} ships no cassette"));
        Assert.Equal(TestPaths.BuiltInFixtures.Count + 2, shipped.Count);
        foreach (var (fixture, cassette) in shipped)
        {
            SchemaAssert.ValidCassette(cassette);
            var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
            {
                Fixtures = [fixture],
                Lane = ReplayLane.Id,
                RunsDirectory = _temp.Combine("shipped"),
                CaseLockFile = RealCa.LockFile,
                CaseLockFileIsExplicit = true,
                ModelCassette = cassette,
            });
            Assert.Empty(errors);

            var report = Stage2Runner.Run(requests.Single()).Report;

            Assert.True(report.Status == RunStatus.Pass, $"{Path.GetFileName(cassette)}: {report.FailureReason}: {report.Message}");
            Assert.Equal(Cassette.Read(cassette).Api, ExchangeApi(report));
        }
    }

    private static string? ExchangeApi(Stage2Report report) =>
        JsonNode.Parse(File.ReadLines(Path.Combine(report.RunDirectory, report.Model.Traffic!.ExchangesLog)).First())!["api"]?.GetValue<string>();

    private static string Edit(JsonNode node, Action<JsonNode> edit)
    {
        edit(node);
        return node.ToJsonString();
    }
}
