using CtoHarness.Admission;
using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Models;
using CtoHarness.Settings;

namespace CtoHarness.Lanes;

/// <summary>
/// The real `ca` with a real model: the requested pair must be an admitted one (the model gate decides Case's
/// configuration), and the run's relay forwards to its endpoint. A named preset fixes the pair.
/// </summary>
public sealed record AdmittedModelLane(string LaneName, string? PresetProvider = null, string? PresetModel = null) : Lane(LaneName)
{
    public const string Id = "case";

    public override string Summary => PresetProvider is null
        ? "the admitted `ca` with the requested admitted pair (`CtoHarnessCaseModelProvider`/`CtoHarnessCaseModel`), through the run's relay"
        : $"the `case` lane with the pair `{PresetProvider}/{PresetModel}` preset";

    public override LanePlan Plan(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors)
    {
        CaseLaneChecks.RequireLock(settings, inputs, errors);
        // The pair is taken exactly as given (an admitted pair must match it character for character) and recorded so.
        var model = new ModelRequest(Exactly(settings.CaseModelProvider, PresetProvider), Exactly(settings.CaseModel, PresetModel),
            string.IsNullOrWhiteSpace(settings.CaseLocalBaseUrl) ? null : settings.CaseLocalBaseUrl.Trim(), settings.AdmittedModels);
        var launch = new ProviderLaunch("case", settings.CaseBin ?? "", inputs.LockFile);
        // Preflight in the design's order: provider verification, then model admission and local configuration.
        return new LanePlan(this, launch, [new ProviderVerificationGate(settings.CaseBin), new ModelAdmissionGate(model)], null, $"{model.Provider}/{model.Model}");
    }

    /// <summary>The admitted endpoint, local or hosted; both are probed before Case starts (a hosted one with the real key).</summary>
    public override ModelUpstream StartUpstream(UpstreamStart start) =>
        new(start.Model.BaseUrl ?? throw new InvalidOperationException($"no model endpoint was decided for {start.Model.Provider}/{start.Model.Model}"),
            probe: true, mustListModel: start.Model.Local);

    private static string? Exactly(string? value, string? fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}

/// <summary>What every lane that runs the admitted `ca` checks.</summary>
internal static class CaseLaneChecks
{
    public static void RequireLock(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors)
    {
        if (settings.CaseLockFileIsExplicit && !File.Exists(inputs.LockFile))
        {
            errors.Add(new(Diagnostics.LockFileMissing.Code, $"CtoHarnessCaseLockFile '{inputs.LockFile}' does not exist; build and admit ca with 'dotnet build -t:CaseProviderBuild' (it writes the lock beside the project), or point it at a case-provider.lock.json that CaseProviderAdmit wrote."));
        }
    }

    /// <summary>The admitted `ca`, verified; the lane serves the model itself, so no admitted pair or model gate is involved.</summary>
    public static (ProviderLaunch, IReadOnlyList<Preflight.IPreflightGate>) HarnessModelLaunch(Stage2Settings settings, LaneInputs inputs) =>
        (new ProviderLaunch("case", settings.CaseBin ?? "", inputs.LockFile), [new ProviderVerificationGate(settings.CaseBin)]);
}
