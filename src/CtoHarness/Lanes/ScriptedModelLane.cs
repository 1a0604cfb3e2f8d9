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
        if (!ScriptedModelScenario.IsKnown(scenario))
        {
            errors.Add(new(Diagnostics.ScriptedModelScenarioUnknown.Code, $"CtoHarnessScriptedModelScenario '{scenario}' is not a scripted model scenario; accepted: {string.Join(", ", ScriptedModelScenario.All)}."));
        }
        var api = string.IsNullOrWhiteSpace(settings.ScriptedModelApi) ? ApiStyles.OpenAiCompletions : settings.ScriptedModelApi.Trim();
        if (!ApiStyles.All.Contains(api))
        {
            errors.Add(new(Diagnostics.ScriptedModelApiUnknown.Code, $"CtoHarnessScriptedModelApi '{api}' is not an API style; accepted: {SettingsTable.ScriptedModelApi.Accepted}."));
        }
        var (launch, gates) = CaseLaneChecks.HarnessModelLaunch(settings, inputs);
        var model = ModelApis.ConfiguredFor(CaseModel.Scripted, api);
        var key = $"{Provider}/{ScriptedModelServer.ModelId}" + (api == ApiStyles.OpenAiCompletions ? "" : $" ({api})");
        return new LanePlan(this with { Scenario = scenario, Api = api }, launch, gates, model, key);
    }

    /// <summary>The scripted model, speaking the lane's API style.</summary>
    public override ModelUpstream StartUpstream(UpstreamStart start)
    {
        var server = ScriptedModelServer.Start(start.Fixture, Scenario, start.Run.Combine("backend", "scripted-model"));
        return new ModelUpstream(ApiStyles.BaseUrl(server.Origin, Api), probe: true, server);
    }
}
