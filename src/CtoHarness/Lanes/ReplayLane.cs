using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Models;
using CtoHarness.Replay;
using CtoHarness.Settings;

namespace CtoHarness.Lanes;

/// <summary>
/// The admitted `ca` against a recorded model session (a cassette, by default the one beside the fixture): any
/// request the recording did not make is a divergence, and the divergence is the verdict.
/// </summary>
public sealed record ReplayLane(Cassette? Cassette = null, string? CassettePath = null) : Lane(Id)
{
    public const string Id = "case-replay";

    /// <summary>The requested provider a replay records: never a real provider's name.</summary>
    public const string Provider = "ctoharness-replay";

    /// <summary>The cassette a fixture ships for the replay lane, beside its fixture.json.</summary>
    public const string FixtureCassetteFileName = "model.cassette.json";

    public override string Summary => "the admitted `ca` against a recorded model session (`CtoHarnessModelCassette`, or the fixture's `model.cassette.json`); no key";

    public override ServedModel? Served => Cassette is null ? null : new(new ModelPair { Provider = Provider, Model = Cassette.Model }, "replay");

    public override LanePlan Plan(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors)
    {
        CaseLaneChecks.RequireLock(settings, inputs, errors);
        var (launch, gates) = CaseLaneChecks.HarnessModelLaunch(settings, inputs);
        return new LanePlan(this, launch, gates, null, $"{Provider}/");
    }

    /// <summary>The cassette is loaded and checked now: a bad cassette stops the build before any run.</summary>
    public override LanePlan ForFixture(LanePlan plan, string fixtureDirectory, Stage2Settings settings, ICollection<ConfigurationError> errors)
    {
        var path = string.IsNullOrWhiteSpace(settings.ModelCassette)
            ? Path.Combine(fixtureDirectory, FixtureCassetteFileName)
            : Path.GetFullPath(settings.ModelCassette.Trim());
        try
        {
            var cassette = Cassette.Read(path);
            var model = ModelApis.ConfiguredFor(CaseModel.Replayed(cassette.Model), cassette.Api) with { Prices = settings.PricesOf($"{Provider}/{cassette.Model}") };
            return plan with { Lane = this with { Cassette = cassette, CassettePath = path }, Model = model, ModelKey = $"{Provider}/{cassette.Model}" };
        }
        catch (CassetteInvalidException e)
        {
            errors.Add(new(Diagnostics.CassetteUnusable.Code, $"{e.Message}. The case-replay lane needs CtoHarnessModelCassette (or the fixture's {FixtureCassetteFileName}): make one with the CaseModelCassette target."));
            return plan;
        }
    }

    public override ModelUpstream StartUpstream(UpstreamStart start)
    {
        var cassette = Cassette ?? throw new InvalidOperationException("the replay lane was not given a cassette for this fixture");
        var player = CassettePlayer.Start(cassette, new RunValues(start.Run.Path, start.Run.Id));
        return new ModelUpstream(player.BaseUrl, probe: true, player, () => player.Verdict() is { } divergence
            ? new UpstreamDivergence(divergence.Split('\n')[0].TrimEnd(':'),
                $"cassette: {CassettePath}\nrecordedProfile: {cassette.Profile}\nprofile: {start.CaseProfile}\n{divergence}\n")
            : null);
    }
}
