using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Processes;

namespace CtoHarness.Stage2;

/// <summary>
/// The provider's part of a run: start the model side (scripted model, relay), write and re-check Case's
/// configuration, collect the secrets to mask, run the provider supervised, and classify what happened, by
/// what happened on the wire first.
/// </summary>
internal static class ProviderStep
{
    public static ProviderOutcome Run(Stage2Request request, Fixture fixture, RunDirectory run, Stage2Report report, RunProcessReaper reaper,
        SecretRedactor redactor, Sandbox.RunSandbox? sandbox, CancellationToken cancellation)
    {
        // The scripted model and the relay live exactly as long as this step, whatever ends it.
        using var modelSide = ModelSide.Start(request, request.Model!, fixture, run, redactor);
        var model = modelSide.CaseModel;
        var setup = CaseBackend.Prepare(run.Backend, fixture, run.Workspace, request.Launch, model, run.Id, request.TargetRepository, request.CaseProfile);
        report.Backend.Profile = request.CaseProfile;
        foreach (var (name, value) in setup.Environment)
        {
            if (SecretRedactor.IsSecretName(name) && !(name == model.KeyVariable && !model.KeyIsSecret))
            {
                redactor.Add(value);
            }
        }
        report.Model.ConfigurationFiles = setup.GeneratedFiles
            .Select(f => new EvidenceFile { Path = run.Relative(f), Sha256 = Sha256.OfFile(f), Size = new FileInfo(f).Length })
            .ToList();
        if (CaseConfigurationCheck.Problems(setup, model, fixture.Id) is { Count: > 0 } problems)
        {
            throw new Stage2Stop(FailureKind.ModelNotAdmitted, $"the configuration written for Case does not name the admitted model: {string.Join("; ", problems)}",
                string.Concat(problems.Select(p => $"problem: {p}\n")));
        }
        // In the sandbox the provider has no network: only this bridge to the relay.
        using var bridge = sandbox is not null && modelSide.Relay is { } relayed
            ? Sandbox.RelayBridge.Start(new Uri(relayed.BaseUrl).Port)
            : null;
        var observer = new CaseOutputObserver();
        var spec = new ProcessSpec(request.Launch.FileName, setup.Arguments, setup.WorkingDirectory, setup.Environment, run.ProviderStdout, run.ProviderStderr)
        {
            Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
            KillGrace = request.KillGrace,
            OutputCapBytes = request.OutputCapBytes,
            OnLine = observer.OnLine,
            Sandbox = sandbox is null ? null : new SandboxedBy(sandbox, ProviderPolicy(setup, request, run, bridge)),
        };
        report.Backend.CommandLine = [.. spec.CommandLine];
        var result = SupervisedProcess.Run(spec, reaper, cancellation);
        SandboxStep.Record(report, "provider", result);
        modelSide.Dispose(); // Case is gone: the relay records what was in flight
        if (modelSide.Relay is { } relay)
        {
            report.Model.Traffic = relay.Traffic(run.Relative(run.Combine("backend", "model", Relay.ModelRelay.ExchangesFileName)));
        }

        var backend = report.Backend;
        backend.CaseProcessStarted = result.Started;
        backend.ExitCode = result.Started ? result.ExitCode : null;
        backend.TimedOut = result.TimedOut;
        backend.DurationMs = (long)result.Duration.TotalMilliseconds;
        backend.StdoutLog = run.Relative(run.ProviderStdout);
        backend.StderrLog = run.Relative(run.ProviderStderr);
        backend.StdoutBytes = result.Stdout.TotalBytes;
        backend.StderrBytes = result.Stderr.TotalBytes;
        backend.StdoutTruncated = result.Stdout.Truncated;
        backend.StderrTruncated = result.Stderr.Truncated;
        backend.ProcessesReaped = result.OrphansReaped;
        backend.ProcessContainment = result.Sandbox is not null ? "pid-namespace" : result.Contained ? "subreaper" : "marker";
        if (result.Cancelled || (!result.TimedOut && EndedByInterrupt(result) && cancellation.WaitHandle.WaitOne(InterruptGrace)))
        {
            // An interrupt sent to the whole process group can reach the provider before the build's cancellation.
            throw new OperationCanceledException(cancellation);
        }
        if (result.LimitExceeded is { } limit)
        {
            throw new Sandbox.SandboxLimitExceeded("provider", limit);
        }
        if (result.OutputFault is { } fault)
        {
            throw new Stage2Stop(FailureKind.HarnessError, $"the provider's output could not be written ({fault}); the provider was stopped at once",
                $"outputFault: {fault}\nstdoutBytes: {backend.StdoutBytes}\nstderrBytes: {backend.StderrBytes}\n");
        }

        var outcome = ProviderOutcome.Classify(result, observer);
        if (modelSide.Relay is { } wire)
        {
            outcome = Stage2.WireVerdict.Judge(outcome, observer, wire.Exchanges, wire.Upstream);
        }
        if (outcome.Failure != FailureKind.ProviderTimeout && modelSide.Divergence is { } divergence)
        {
            // A replay that left its recording proves nothing about the rest: the divergence is the verdict.
            outcome = new ProviderOutcome("model-replay-diverged", FailureKind.ReplayDiverged, divergence.Detail) { MarkerText = divergence.MarkerText };
        }
        backend.Outcome = outcome.Name;
        backend.FailedAgent = observer.FailedAgent;
        if (outcome.Failure == FailureKind.ProviderTimeout)
        {
            var killed = string.Join("\n", result.Reaped.Select(p => $"  pid {p.Pid} ({p.Signal}): {p.CommandLine}"));
            throw new Stage2Stop(FailureKind.ProviderTimeout, $"the provider was stopped after its {request.TimeoutSeconds} s bound",
                $"timeoutSeconds: {request.TimeoutSeconds}\nelapsedMs: {backend.DurationMs}\nkilled:\n{killed}\n");
        }
        return outcome;
    }

    /// <summary>
    /// Case writes the workspace and its own private folders; it reads the provider's files (when they are files, not
    /// a sealed image) and what the harness hands it; of the network it reaches the run's model relay, and only that.
    /// </summary>
    private static Sandbox.SandboxPolicy ProviderPolicy(BackendSetup setup, Stage2Request request, RunDirectory run, Sandbox.RelayBridge? relay)
    {
        var readOnly = new List<string>(setup.ReadOnlyFiles);
        if (!request.Launch.ExecutablePath.StartsWith("/proc/", StringComparison.Ordinal) && Path.GetDirectoryName(request.Launch.ExecutablePath) is { Length: > 0 } providerDirectory)
        {
            readOnly.Add(providerDirectory);
        }
        return new Sandbox.SandboxPolicy("provider", [run.Workspace, .. setup.PrivateDirectories, run.Cache], readOnly,
            relay is null ? Sandbox.SandboxNetwork.None : Sandbox.SandboxNetwork.Relay) { Relay = relay };
    }

    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    /// <summary>Ended by SIGINT or SIGTERM (exit code 128 + signal), as a process of an interrupted build would.</summary>
    private static bool EndedByInterrupt(ProcessResult result) => result.ExitCode is 130 or 143;
}
