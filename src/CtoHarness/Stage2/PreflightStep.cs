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
        var (request, report) = (context.Request, context.Report);
        report.Fixture.Digest = FixtureDigest.Compute(context.Fixture.Directory);
        report.Tests.Command = [.. context.Fixture.Manifest.Tests.Command];
        if (request.Model is { } fixedModel)
        {
            report.Model.Configured = new ModelPair { Provider = fixedModel.Provider, Model = fixedModel.Model };
            report.Model.BaseUrl = fixedModel.BaseUrl;
        }
        if (request.Lane.Served is { } served)
        {
            report.Model.Requested = served.Requested;
            report.Model.Upstream = served.Upstream;
        }

        var gates = new PreflightContext(request.Launch, request.Model, report, context.Run);
        foreach (var gate in request.Preflight)
        {
            if (gate.Check(gates) is { } block)
            {
                throw new Stage2Stop(block.Kind, block.Detail, block.MarkerText);
            }
        }
        var sandbox = SandboxStep.Decide(request, report);
        context.Cancellation.ThrowIfCancellationRequested();
        var model = gates.Model ?? throw new InvalidOperationException("no model configuration was decided for the provider");
        return new PreflightResult(gates.Launch, model, sandbox);
    }
}
