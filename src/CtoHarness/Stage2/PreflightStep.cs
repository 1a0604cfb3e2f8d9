using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Fixtures;
using CtoHarness.Preflight;
using CtoHarness.Sandbox;

namespace CtoHarness.Stage2;

/// <summary>What preflight decided: the verified provider to start, Case's model configuration, and the sandbox (null: none).</summary>
internal sealed record PreflightResult(ProviderLaunch Launch, CaseModel Model, RunSandbox? Sandbox);

/// <summary>
/// Everything before any program of the run starts: the fixture's identity, the gates (provider verification, model
/// admission, local configuration) in order, and the sandbox. A gate's block ends the run as blocked.
/// </summary>
internal static class PreflightStep
{
    public static PreflightResult Run(RunContext context)
    {
        var request = context.Request;
        var digest = FixtureDigest.Compute(context.Fixture.Directory);
        var gates = new PreflightContext(request.Launch, request.Model, context.Run);
        if (request.Model is { } fixedModel)
        {
            gates.ModelRecord.Configured = new ModelPair { Provider = fixedModel.Provider, Model = fixedModel.Model };
            gates.ModelRecord.BaseUrl = fixedModel.BaseUrl;
        }
        if (request.Lane.Served is { } served)
        {
            gates.ModelRecord.Requested = served.Requested;
            gates.ModelRecord.Upstream = served.Upstream;
        }
        var record = new PreflightRecord(digest, [.. context.Fixture.Manifest.Tests.Command], gates.ProviderRecord, gates.ModelRecord, null);
        context.Preflight = record;
        foreach (var gate in request.Preflight)
        {
            if (gate.Check(gates) is { } block)
            {
                throw new Stage2Stop(block.Kind, block.Detail, block.MarkerText);
            }
        }
        var (sandbox, section, unavailable) = SandboxStep.Decide(request);
        context.Preflight = record with { Sandbox = section };
        if (unavailable is not null)
        {
            throw new Stage2Stop(unavailable);
        }
        context.Cancellation.ThrowIfCancellationRequested();
        var model = gates.Model ?? throw new InvalidOperationException("no model configuration was decided for the provider");
        return new PreflightResult(gates.Launch, model, sandbox);
    }
}
