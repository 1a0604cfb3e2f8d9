using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Lanes;
using CtoHarness.Relay;

namespace CtoHarness.Stage2;

/// <summary>
/// The model side of a run: what the lane forwards Case's model calls to (an admitted endpoint, or a model the
/// harness serves), checked before Case starts, and the relay between Case and it. Case is configured to talk to
/// the relay with a placeholder key; the relay holds the real one. A lane whose provider talks to no model (the
/// fake) gets none of this.
/// </summary>
internal sealed class ModelSide : IDisposable
{
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(5);

    private readonly ModelUpstream? _upstream;
    private bool _disposed;

    private ModelSide(CaseModel caseModel, ModelRelay? relay, ModelUpstream? upstream)
    {
        CaseModel = caseModel;
        Relay = relay;
        _upstream = upstream;
    }

    /// <summary>After the run: how a replayed recording was left, or null.</summary>
    public UpstreamDivergence? Divergence => _upstream?.Divergence();

    /// <summary>The model as Case is configured for it (through the relay, with a placeholder key).</summary>
    public CaseModel CaseModel { get; }

    public ModelRelay? Relay { get; }

    public static ModelSide Start(Stage2Request request, CaseModel model, Fixture fixture, RunDirectory run, SecretRedactor redactor)
    {
        var upstream = request.Lane.StartUpstream(new UpstreamStart(fixture, run, model, request.CaseProfile));
        if (upstream is null)
        {
            return new ModelSide(model, null, null);
        }
        try
        {
            var credential = model is { KeyIsSecret: true, KeyValue: { } key } ? Models.ModelApis.CredentialHeader(model.Api, key) : ((string, string)?)null;
            if (model is { KeyIsSecret: true, KeyValue: { } secret })
            {
                redactor.Add(secret);
            }
            if (upstream.Probe && EndpointProbe.Problem(new Uri(upstream.BaseUrl), upstream.MustListModel ? model.Model : null, ProbeBound, credential, model.Api, model.TrustedCertificate) is { } problem)
            {
                throw new Stage2Stop(FailureKind.ModelEndpointUnavailable, problem, $"endpoint: {upstream.BaseUrl}\nmodel: {model.Model}\nproblem: {problem}\n");
            }
            var relay = ModelRelay.Start(new RelayOptions(new Uri(upstream.BaseUrl), run.Combine("backend", "model"))
            {
                Credential = credential,
                TrustedCertificate = model.TrustedCertificate,
                MaxCalls = request.ModelMaxCalls,
                MaxTokens = request.ModelMaxTokens,
                Prices = model.Prices,
                MaxCost = request.ModelMaxCost,
                Currency = request.Currency,
                SetSpend = request.SetSpend,
                Progress = request.Progress,
            });
            var caseModel = model with { BaseUrl = relay.BaseUrl, KeyValue = CaseModel.PlaceholderKey, KeyIsSecret = false };
            return new ModelSide(caseModel, relay, upstream);
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }

    /// <summary>Stops the relay (it finishes recording what is in flight) and the scripted model. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Relay?.Dispose();
        _upstream?.Dispose();
    }
}
