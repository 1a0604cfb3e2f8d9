using System.Diagnostics;
using CtoHarness.Admission;
using CtoHarness.Contracts;
using CtoHarness.Fake;
using CtoHarness.Lanes;
using CtoHarness.Models;
using CtoHarness.Processes;
using CtoHarness.Stage2;

namespace CtoHarness.Health;

/// <summary>
/// Runs the fake provider through the pass path and every fail-closed path, and checks each ends exactly
/// as the taxonomy says with no process left behind. <c>template</c> is a fake-lane request for the
/// built-in fixture; each check varies it. When an admitted real `ca` is there, it also runs it against the
/// scripted model (<c>realCa</c>, a case-scripted request): a pass, a protocol failure and a timeout; without
/// one those checks say so and are not run (never "passed").
/// </summary>
public static class HealthChecks
{
    private const int TimeoutCheckSeconds = 2;

    private sealed record Check(string Name, string Scenario, FailureKind? Expected, Func<Stage2Request, Stage2Request>? Vary = null, Func<Stage2Report, string?>? Extra = null);

    // Declared before the checks that use it: static fields initialise in order.
    private static readonly AdmittedModel SelfTestLocalModel = new("qwen-local", "qwen3.6-35b-a3b") { Local = true };

    private static readonly Check[] Runs =
    [
        new("fake_lane_pass", FakeScenario.Fix, null),
        new("provider_timeout_fail_closed", FakeScenario.HangWithDetachedChild, FailureKind.ProviderTimeout, r => r with { TimeoutSeconds = TimeoutCheckSeconds }),
        new("provider_unavailable_fail_closed", FakeScenario.Fix, FailureKind.ProviderUnavailable,
            r => WithLock(r, "provider-missing.lock.json", l => l.Binary.StorePath = Path.Combine(r.RunsDirectory, "no-such-provider.dll")),
            NoProcessStarted),
        new("digest_mismatch_blocks", FakeScenario.Fix, FailureKind.ProviderUnverified,
            r => WithLock(r, "digest-mismatch.lock.json", l => l.Binary.Sha256 = new string('0', 64)),
            NoProcessStarted),
        new("agent_protocol_classified", FakeScenario.NoAgentResult, FailureKind.AgentProtocol),
        new("provider_failure_classified", FakeScenario.FailAtReviewer, FailureKind.ProviderFailed),
        new("orphans_reaped", FakeScenario.DetachedChild, null,
            Extra: report => report.Backend.ProcessesReaped >= 1 ? null : "no orphan was reaped"),
        new("no_changes_fails", FakeScenario.Noop, FailureKind.NoChanges),
        new("model_provider_gate_blocks", FakeScenario.Fix, FailureKind.ModelNotAdmitted,
            r => WithModelGate(r, new ModelRequest("anthropic", "claude-sonnet-4-6", null, [SelfTestLocalModel])), NoProcessStarted),
        new("local_config_gate_blocks", FakeScenario.Fix, FailureKind.LocalConfigUnavailable,
            r => WithModelGate(r, new ModelRequest(SelfTestLocalModel.Provider, SelfTestLocalModel.Model, null, [SelfTestLocalModel])), NoProcessStarted),
    ];

    private static readonly (string Name, string Scenario, FailureKind? Expected)[] RealCaRuns =
    [
        ("real_ca_scripted_pass", ScriptedModel.ScriptedModelScenario.Solve, null),
        ("real_ca_protocol_classified", ScriptedModel.ScriptedModelScenario.NoResultPrefix + "reviewer", FailureKind.AgentProtocol),
        ("real_ca_timeout_fail_closed", ScriptedModel.ScriptedModelScenario.Silent, FailureKind.ProviderTimeout),
    ];

    /// <param name="realCa">A case-scripted request for the admitted `ca`, or null when there is none.</param>
    /// <param name="noRealCa">Why there is no admitted `ca` (recorded in the checks that need one).</param>
    public static HealthReport Run(Stage2Request template, Stage2Request? realCa = null, string noRealCa = "no admitted ca", CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var health = new HealthReport { StartedAt = DateTimeOffset.UtcNow };
        foreach (var check in Runs)
        {
            cancellation.ThrowIfCancellationRequested();
            health.Checks.Add(Execute(check, template, cancellation));
        }
        foreach (var (name, scenario, expected) in RealCaRuns)
        {
            cancellation.ThrowIfCancellationRequested();
            health.Checks.Add(realCa is null
                ? new HealthCheckResult { Name = name, Result = HealthCheckResult.NotRun, Expected = "an admitted ca to run", Observed = noRealCa }
                : Execute(new Check(name, scenario, expected), realCa with
                {
                    Lane = new ScriptedModelLane(scenario),
                    TimeoutSeconds = expected == FailureKind.ProviderTimeout ? TimeoutCheckSeconds : realCa.TimeoutSeconds,
                }, cancellation));
        }
        health.Ok = health.Checks.All(c => c.Result != HealthCheckResult.Failed);
        health.DurationMs = clock.ElapsedMilliseconds;
        return health;
    }

    private static HealthCheckResult Execute(Check check, Stage2Request template, CancellationToken cancellation)
    {
        try
        {
            return Observe(check, template, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult { Name = check.Name, Result = HealthCheckResult.Failed, Expected = "the check runs", Observed = $"the check itself failed: {e.Message}" };
        }
    }

    private static HealthCheckResult Observe(Check check, Stage2Request template, CancellationToken cancellation)
    {
        var request = template.Lane is ScriptedModelLane
            ? template
            : template with { Launch = template.Launch with { LaneEnvironment = WithScenario(template, check.Scenario) } };
        var result = Stage2Runner.Run(check.Vary?.Invoke(request) ?? request, cancellation);
        var report = result.Report;
        var survivors = report.Backend.ProcessMarker is { } marker && RunProcessReaper.CanScan
            ? new RunProcessReaper(marker).FindLiving().Count
            : 0;

        var expected = check.Expected is { } kind ? $"status={Name(kind.Status)} reason={kind.Reason} code={kind.Code}" : "status=pass";
        var observed = report.Status == RunStatus.Pass ? "status=pass" : $"status={Name(report.Status)} reason={report.FailureReason} code={report.ErrorCode}";
        var problems = new List<string>();
        if (observed != expected)
        {
            problems.Add("unexpected outcome");
        }
        if (survivors > 0)
        {
            problems.Add($"{survivors} process(es) of the run survived");
        }
        if (check.Extra?.Invoke(report) is { } extra)
        {
            problems.Add(extra);
        }
        return new HealthCheckResult
        {
            Name = check.Name,
            Result = problems.Count == 0 ? HealthCheckResult.Passed : HealthCheckResult.Failed,
            Expected = $"{expected}, 0 surviving processes",
            Observed = $"{observed}, {survivors} surviving processes, {report.Backend.ProcessesReaped} reaped" +
                       (problems.Count == 0 ? "" : $" ({string.Join("; ", problems)})"),
            Evidence = result.EvidencePath,
        };
    }

    /// <summary>The fake provider behind the case lane's model gate: the model is decided by the gate, not fixed by the lane.</summary>
    private static Stage2Request WithModelGate(Stage2Request request, ModelRequest model) =>
        request with { Model = null, Preflight = [.. request.Preflight, new ModelAdmissionGate(model)] };

    private static string? NoProcessStarted(Stage2Report report) => report.Backend.CaseProcessStarted ? "a provider process was started" : null;

    /// <summary>The same provider under a changed copy of its lock, kept beside the health runs.</summary>
    private static Stage2Request WithLock(Stage2Request request, string name, Action<ProviderLock> change)
    {
        Directory.CreateDirectory(request.RunsDirectory);
        var variant = LockVariants.Write(request.Launch.LockFile, Path.Combine(request.RunsDirectory, name), change);
        return request with { Launch = request.Launch with { LockFile = variant } };
    }

    private static Dictionary<string, string> WithScenario(Stage2Request template, string scenario) =>
        new(template.Launch.LaneEnvironment) { [FakeScenario.Variable] = scenario };

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();
}
