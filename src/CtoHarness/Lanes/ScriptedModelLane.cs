using CtoHarness.Attempts;
using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Models;
using CtoHarness.Protocol;
using CtoHarness.ScriptedModel;
using CtoHarness.Settings;

namespace CtoHarness.Lanes;

/// <summary>
/// The admitted `ca` against the harness's scripted model, which plays the fixture's reference solution through
/// Case's own tools (or misbehaves as its scenario says): a pin bump is checked without a model or a key.
/// </summary>
public sealed record ScriptedModelLane(string Scenario = ScriptedModelScenario.Solve, string Api = ApiStyles.OpenAiCompletions) : Lane(Id)
{
    public const string Id = "case-scripted";

    /// <summary>The requested provider a scripted run records: never a real provider's name.</summary>
    public const string Provider = "ctoharness-scripted";

    public override string Summary => "the admitted `ca` against the harness's scripted model (`CtoHarnessScriptedModelScenario`); no key";

    public override ServedModel Served => new(new ModelPair { Provider = Provider, Model = ScriptedModelServer.ModelId }, "scripted");

    public override LanePlan Plan(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors)
    {
        CaseLaneChecks.RequireLock(settings, inputs, errors);
        var scenario = string.IsNullOrWhiteSpace(settings.ScriptedModelScenario) ? ScriptedModelScenario.Solve : settings.ScriptedModelScenario.Trim();
        if (!ScriptedModelScenario.IsKnown(scenario) && FailingAttempts.Parse(scenario) is null)
        {
            errors.Add(new(Diagnostics.ScriptedModelScenarioUnknown.Code, $"CtoHarnessScriptedModelScenario '{scenario}' is not a scripted model scenario; accepted: {string.Join(", ", ScriptedModelScenario.All)}, {FailingAttempts.Prefix}N[,N…]."));
        }
        var api = string.IsNullOrWhiteSpace(settings.ScriptedModelApi) ? ApiStyles.OpenAiCompletions : settings.ScriptedModelApi.Trim();
        if (!ApiStyles.All.Contains(api))
        {
            errors.Add(new(Diagnostics.ScriptedModelApiUnknown.Code, $"CtoHarnessScriptedModelApi '{api}' is not an API style; accepted: {SettingsTable.ScriptedModelApi.Accepted}."));
        }
        var (launch, gates) = CaseLaneChecks.HarnessModelLaunch(settings, inputs);
        var model = ModelApis.ConfiguredFor(CaseModel.Scripted, api) with { Prices = settings.PricesOf($"{Provider}/{ScriptedModelServer.ModelId}") };
        var key = $"{Provider}/{ScriptedModelServer.ModelId}" + (api == ApiStyles.OpenAiCompletions ? "" : $" ({api})");
        return new LanePlan(this with { Scenario = scenario, Api = api }, launch, gates, model, key);
    }

    /// <summary>Under <c>fail-attempts:</c> the listed attempts get a model that changes nothing; the others get one that solves.</summary>
    public override (Lane Lane, ProviderLaunch Launch) ForAttempt(ProviderLaunch launch, int attempt) =>
        FailingAttempts.Parse(Scenario) is { } failing
            ? (this with { Scenario = failing.Fails(attempt) ? ScriptedModelScenario.NoChange : ScriptedModelScenario.Solve }, launch)
            : (this, launch);

    /// <summary>The scripted model, speaking the lane's API style.</summary>
    public override ModelUpstream StartUpstream(UpstreamStart start)
    {
        var server = ScriptedModelServer.Start(start.Fixture, Scenario, start.Run.Combine("backend", "scripted-model"));
        return new ModelUpstream(ApiStyles.BaseUrl(server.Origin, Api), probe: true, server);
    }
}
