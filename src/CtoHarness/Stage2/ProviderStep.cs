using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Processes;
using CtoHarness.Sandbox;

namespace CtoHarness.Stage2;

/// <summary>
/// The provider's part of a run: start the model side (the lane's upstream, the relay), write and re-check Case's
/// configuration, collect the secrets to mask, run the provider supervised, record how it ran, and add what it
/// amounted to (<see cref="Verdicts.OfProvider"/>) to the run's findings.
/// </summary>
internal static class ProviderStep
{
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    public static void Run(RunContext context, PreflightResult preflight)
    {
        var request = context.Request with { Launch = preflight.Launch, Model = preflight.Model };
        // The model side lives exactly as long as this step, whatever ends it.
        using var modelSide = ModelSide.Start(request, preflight.Model, context.Fixture, context.Run, context.Redactor);
        var setup = WithTestPackages(Configure(context, request, modelSide.CaseModel), context.Run, context.Workspace?.PackageFallback);
        // In the sandbox the provider has no network: only this bridge to the relay.
        using var bridge = preflight.Sandbox is not null && modelSide.Relay is { } relayed ? RelayBridge.Start(new Uri(relayed.BaseUrl).Port) : null;
        var observer = new CaseOutputObserver();
        var result = Start(context, request, setup, observer, preflight.Sandbox is null ? null : new SandboxedBy(preflight.Sandbox, Policy(setup, request, context.Run, bridge)));
        modelSide.Dispose(); // Case is gone: the relay records what was in flight
        WireRecord? wire = null;
        if (modelSide.Relay is { } relay)
        {
            wire = new WireRecord(relay.Exchanges, relay.Upstream);
            context.Provider = context.Provider! with
            {
                Traffic = relay.Traffic(context.Run.Relative(context.Run.Combine("backend", "model", Relay.ModelRelay.ExchangesFileName))),
                Cost = ModelCost.Of(relay.Exchanges, preflight.Model.Prices, request.Currency),
            };
        }
        context.Provider = context.Provider! with { Result = result };
        StopOnInterruptions(context, result);

        var (outcome, findings) = Verdicts.OfProvider(new ProviderRun(result, observer, request.TimeoutSeconds, modelSide.Divergence, wire));
        context.Provider = context.Provider with { Outcome = outcome, FailedAgent = observer.FailedAgent };
        if (findings.FirstOrDefault(f => f.Kind == FailureKind.ProviderTimeout) is { } timeout)
        {
            // A provider stopped by its bound left a workspace in an unknown state: nothing after it is read.
            throw new Stage2Stop(timeout);
        }
        foreach (var finding in findings)
        {
            context.Add(finding);
        }
    }

    /// <summary>Case's files for the run, checked to name the admitted model; every secret-named value of its environment is masked.</summary>
    private static BackendSetup Configure(RunContext context, Stage2Request request, CaseModel model)
    {
        var run = context.Run;
        var setup = CaseBackend.Prepare(run.Backend, context.Fixture, run.Workspace, request.Launch, model, run.Id, request.TargetRepository, request.CaseProfile);
        foreach (var (name, value) in setup.Environment)
        {
            if (SecretRedactor.IsSecretName(name) && !(name == model.KeyVariable && !model.KeyIsSecret))
            {
                context.Redactor.Add(value);
            }
        }
        context.Provider = new ProviderRecord(request.CaseProfile, setup.GeneratedFiles
            .Select(f => new EvidenceFile { Path = run.Relative(f), Sha256 = Sha256.OfFile(f), Size = new FileInfo(f).Length })
            .ToList());
        if (CaseConfigurationCheck.Problems(setup, model, context.Fixture.Id) is { Count: > 0 } problems)
        {
            throw new Stage2Stop(FailureKind.ModelNotAdmitted, $"the configuration written for Case does not name the admitted model: {string.Join("; ", problems)}",
                string.Concat(problems.Select(p => $"problem: {p}\n")));
        }
        return setup;
    }

    private static ProcessResult Start(RunContext context, Stage2Request request, BackendSetup setup, CaseOutputObserver observer, SandboxedBy? sandbox)
    {
        var run = context.Run;
        var spec = new ProcessSpec(request.Launch.FileName, setup.Arguments, setup.WorkingDirectory, setup.Environment, run.ProviderStdout, run.ProviderStderr)
        {
            Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
            KillGrace = request.KillGrace,
            OutputCapBytes = request.OutputCapBytes,
            OnLine = observer.OnLine,
            Sandbox = sandbox,
        };
        context.Provider = context.Provider! with { CommandLine = [.. spec.CommandLine] };
        var result = SupervisedProcess.Run(spec, context.Reaper, context.Cancellation);
        context.Ran("provider", result);
        return result;
    }

    /// <summary>A cancelled build, a sandbox limit or output the harness could not write end the run here, before any verdict on the provider.</summary>
    private static void StopOnInterruptions(RunContext context, ProcessResult result)
    {
        if (result.Cancelled || (!result.TimedOut && EndedByInterrupt(result) && context.Cancellation.WaitHandle.WaitOne(InterruptGrace)))
        {
            // An interrupt sent to the whole process group can reach the provider before the build's cancellation.
            throw new OperationCanceledException(context.Cancellation);
        }
        if (result.LimitExceeded is { } limit)
        {
            throw new SandboxLimitExceeded("provider", limit);
        }
        if (result.OutputFault is { } fault)
        {
            throw new Stage2Stop(FailureKind.HarnessError, $"the provider's output could not be written ({fault}); the provider was stopped at once",
                $"outputFault: {fault}\nstdoutBytes: {result.Stdout.TotalBytes}\nstderrBytes: {result.Stderr.TotalBytes}\n");
        }
    }

    /// <summary>
    /// Case writes the workspace and its own private folders; it reads the provider's files (when they are files, not
    /// a sealed image) and what the harness hands it; of the network it reaches the run's model relay, and only that.
    /// </summary>
    /// <summary>
    /// The packages the baseline restored, for the agent's own builds too, read-only: the workspace's restore state
    /// names that folder and the final test run restores from it, so the agent must not be able to plant a package
    /// there. A copy of the baseline's HTTP cache lets its restores resolve version ranges with no network, as the
    /// baseline did. With the package cache, the same read-only fallback folder.
    /// </summary>
    private static BackendSetup WithTestPackages(BackendSetup setup, RunDirectory run, string? fallback)
    {
        var httpCache = Path.Combine(run.Cache, "nuget-http");
        if (Directory.Exists(Path.Combine(run.TestCache, "nuget-http")))
        {
            Workspace.PlainFiles.CopyTree(Path.Combine(run.TestCache, "nuget-http"), httpCache);
        }
        var environment = new Dictionary<string, string>(setup.Environment) { ["NUGET_PACKAGES"] = run.TestPackages, ["NUGET_HTTP_CACHE_PATH"] = httpCache };
        var readOnly = Directory.Exists(run.TestPackages) ? [.. setup.ReadOnlyFiles, run.TestPackages] : setup.ReadOnlyFiles;
        if (fallback is not null)
        {
            environment["RestoreAdditionalProjectFallbackFolders"] = fallback;
            readOnly = fallback.Length > 0 ? [.. readOnly, fallback] : readOnly;
        }
        return setup with { Environment = environment, ReadOnlyFiles = readOnly };
    }

    private static SandboxPolicy Policy(BackendSetup setup, Stage2Request request, RunDirectory run, RelayBridge? relay)
    {
        var readOnly = new List<string>(setup.ReadOnlyFiles);
        if (!request.Launch.ExecutablePath.StartsWith("/proc/", StringComparison.Ordinal) && Path.GetDirectoryName(request.Launch.ExecutablePath) is { Length: > 0 } providerDirectory)
        {
            readOnly.Add(providerDirectory);
        }
        return new SandboxPolicy("provider", [run.Workspace, .. setup.PrivateDirectories, run.Cache], readOnly,
            relay is null ? SandboxNetwork.None : SandboxNetwork.Relay) { Relay = relay };
    }

    /// <summary>Ended by SIGINT or SIGTERM (exit code 128 + signal), as a process of an interrupted build would.</summary>
    private static bool EndedByInterrupt(ProcessResult result) => result.ExitCode is 130 or 143;
}
