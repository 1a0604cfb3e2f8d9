using CtoHarness.Configuration;
using CtoHarness.Evidence;
using CtoHarness.Health;
using CtoHarness.Lanes;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>Self-test of every fail-closed path on the fake lane; writes health.json and fails the build if a check fails.</summary>
public sealed class CaseHealth : CtoHarnessTask
{
    [Required]
    public ITaskItem? Fixture { get; set; }

    public string? RunsDirectory { get; set; }
    public string? FakeProviderAssembly { get; set; }
    public string? DotnetHostPath { get; set; }
    /// <summary>The admission lock of the real `ca`; when it exists, the real-binary checks run against it.</summary>
    public string? CaseLockFile { get; set; }

    [Output]
    public string? HealthFile { get; private set; }

    private protected override void Run(CodedErrors errors)
    {
        var root = string.IsNullOrWhiteSpace(RunsDirectory) ? HarnessDirectories.DefaultRuns() : Path.GetFullPath(RunsDirectory);
        var directory = Path.Combine(root, $"health-{RunDirectory.Stamp(DateTimeOffset.UtcNow)}-{Environment.ProcessId}");
        var (requests, problems) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [Fixture!.GetMetadata("FullPath")],
            Lane = FakeProviderLane.Id,
            RunsDirectory = directory,
            FakeProviderAssembly = FakeProviderAssembly,
            DotnetHostPath = DotnetHostPath,
        });
        foreach (var problem in problems)
        {
            errors.Configuration(problem);
        }
        if (requests.Count == 0)
        {
            return;
        }

        var (realCa, noRealCa) = RealCaRequest(directory);
        HealthReport health;
        try
        {
            health = HealthChecks.Run(requests[0], realCa, noRealCa, Cancellation);
        }
        catch (OperationCanceledException)
        {
            errors.Cancelled($"CaseHealth was cancelled; the runs so far are under '{directory}'.");
            return;
        }
        HealthFile = Path.Combine(directory, "health.json");
        JsonFiles.WriteAtomically(HealthFile, health);
        foreach (var check in health.Checks)
        {
            Log.LogMessage(MessageImportance.High, $"CtoHarness health: {check.Name} {check.Result}: {check.Observed}");
            if (check.Result == HealthCheckResult.Failed)
            {
                errors.HealthCheck(check, HealthFile);
            }
        }
        Log.LogMessage(MessageImportance.High, $"CtoHarness health: ok={health.Ok.ToString().ToLowerInvariant()} in {health.DurationMs} ms, {HealthFile}");
    }

    /// <summary>A case-scripted request for the admitted `ca`, or why there is none.</summary>
    private (Stage2Request? Request, string Reason) RealCaRequest(string directory)
    {
        if (string.IsNullOrWhiteSpace(CaseLockFile) || !File.Exists(CaseLockFile))
        {
            return (null, $"no admitted ca: the lock '{CaseLockFile}' does not exist (admit one with CaseProviderAdmit, or bash build/real-case.sh)");
        }
        var (requests, problems) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [Fixture!.GetMetadata("FullPath")],
            Lane = ScriptedModelLane.Id,
            RunsDirectory = directory,
            TimeoutSeconds = "120",
            CaseLockFile = CaseLockFile,
            CaseLockFileIsExplicit = true,
        });
        return problems.Count > 0 ? (null, $"no admitted ca: {problems[0].Message}") : (requests[0], "");
    }
}
