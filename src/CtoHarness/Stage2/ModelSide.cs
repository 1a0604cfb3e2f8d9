using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Relay;
using CtoHarness.ScriptedModel;

namespace CtoHarness.Stage2;

/// <summary>
/// The model side of a case-lane run: the scripted model when the lane asks for it, the endpoint checked before
/// Case starts, and the relay between Case and the endpoint. Case is configured to talk to the relay with a
/// placeholder key; the relay holds the real one. The fake lane talks to no model and gets none of this.
/// </summary>
internal sealed class ModelSide : IDisposable
{
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(5);

    private readonly ScriptedModelServer? _scripted;
    private readonly Replay.CassettePlayer? _player;
    private bool _disposed;

    private ModelSide(CaseModel caseModel, ModelRelay? relay, ScriptedModelServer? scripted, Replay.CassettePlayer? player)
    {
        CaseModel = caseModel;
        Relay = relay;
        _scripted = scripted;
        _player = player;
    }

    /// <summary>On the replay lane, after the run: how the replay diverged from its cassette, or null.</summary>
    public string? ReplayDivergence => _player?.Verdict();

    /// <summary>The model as Case is configured for it (through the relay, with a placeholder key).</summary>
    public CaseModel CaseModel { get; }

    public ModelRelay? Relay { get; }

    public static ModelSide Start(Stage2Request request, CaseModel model, Fixture fixture, RunDirectory run, SecretRedactor redactor)
    {
        if (request.Launch.Kind != "case")
        {
            return new ModelSide(model, null, null, null);
        }
        var scripted = request.ScriptedModelScenario is { } scenario ? ScriptedModelServer.Start(fixture, scenario, run.Combine("backend", "scripted-model")) : null;
        var player = request.Cassette is { } cassette ? Replay.CassettePlayer.Start(cassette, new Replay.RunValues(run.Path, run.Id)) : null;
        try
        {
            // The model gate decided the endpoint; the scripted lane's is the scripted model, the replay lane's the cassette.
            var upstream = scripted?.BaseUrl ?? player?.BaseUrl ?? model.BaseUrl
                ?? throw new InvalidOperationException($"no model endpoint was decided for {model.Provider}/{model.Model}");
            var credential = model is { KeyIsSecret: true, KeyValue: { } key } ? Models.ModelApis.CredentialHeader(model.Api, key) : ((string, string)?)null;
            if (model is { KeyIsSecret: true, KeyValue: { } secret })
            {
                redactor.Add(secret);
            }
            if ((scripted is not null || player is not null || model.Local) &&
                EndpointProbe.Problem(new Uri(upstream), model.Model, ProbeBound) is { } problem)
            {
                throw new Stage2Stop(FailureKind.ModelEndpointUnavailable, problem, $"endpoint: {upstream}\nmodel: {model.Model}\nproblem: {problem}\n");
            }
            var relay = ModelRelay.Start(new RelayOptions(new Uri(upstream), run.Combine("backend", "model"))
            {
                Credential = credential,
                TrustedCertificate = model.TrustedCertificate,
                MaxCalls = request.ModelMaxCalls,
                MaxTokens = request.ModelMaxTokens,
                Progress = request.Progress,
            });
            var caseModel = model with { BaseUrl = relay.BaseUrl, KeyValue = CaseModel.PlaceholderKey, KeyIsSecret = false };
            return new ModelSide(caseModel, relay, scripted, player);
        }
        catch
        {
            scripted?.Dispose();
            player?.Dispose();
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
        _scripted?.Dispose();
        _player?.Dispose();
    }
}
