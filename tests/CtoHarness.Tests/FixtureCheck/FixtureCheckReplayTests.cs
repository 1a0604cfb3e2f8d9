using System.Text.Json.Nodes;
using CtoHarness.FixtureCheck;
using CtoHarness.Settings;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.FixtureCheck;

/// <summary>The fixture check with an admitted `ca`: each cassette beside the fixture is replayed, a stale one is CTOH410.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class FixtureCheckReplayTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Stage2Settings Settings() => new()
    {
        RunsDirectory = _temp.Combine("runs"),
        FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        CaseLockFile = RealCa.LockFile,
    };

    [Fact]
    public void Every_cassette_of_a_sound_fixture_replays_and_a_stale_one_is_CTOH410_at_the_cassette()
    {
        var sound = FixtureChecker.Check(TestPaths.SlugifyFixture, Settings(), repeats: 2);
        Assert.Empty(sound.Problems);
        // The fake lane's run, then one replay per shipped cassette (three API styles).
        Assert.Equal(["fake", "case-replay", "case-replay", "case-replay"], sound.Runs.Select(r => r.Report.Lane));

        var stale = FixtureCopies.Copy(_temp.Combine("stale"));
        var cassette = Path.Combine(stale, "model.cassette.json");
        var node = JsonNode.Parse(File.ReadAllText(cassette))!;
        // The task changed since the recording: the first request no longer matches.
        FixtureCopies.EditManifest(stale, m => m["task"]!["body"] = "Fix slugify in strings.py so that every test in test_strings.py passes.");
        File.WriteAllText(cassette, node.ToJsonString());

        var result = FixtureChecker.Check(stale, Settings(), repeats: 1);

        Assert.Contains(result.Problems, p => p.Code == "CTOH410" && p.File == cassette && p.Message.Contains("model replay diverged"));
    }
}
