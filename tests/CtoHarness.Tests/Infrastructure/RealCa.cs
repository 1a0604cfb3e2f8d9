using System.Diagnostics;
using CtoHarness.Configuration;
using CtoHarness.Lanes;
using CtoHarness.Settings;
using CtoHarness.Stage2;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// The real `ca`, built from the Case source and admitted by build/real-case.sh the first time a test asks for
/// it (cached by commit in the per-user state directory). A machine where it cannot be built fails the tests
/// that need it, with the script's output: never a silent skip.
/// </summary>
public static class RealCa
{
    private static readonly Lazy<(string Binary, string LockFile, string Commit)> Admitted = new(BuildAndAdmit);

    public static string LockFile => Admitted.Value.LockFile;
    public static string Binary => Admitted.Value.Binary;
    public static string Commit => Admitted.Value.Commit;

    /// <summary>A case-scripted request (the real `ca` against the scripted model) for one fixture.</summary>
    public static Stage2Request Scripted(string runs, string scenario = "solve", string? fixture = null, int timeoutSeconds = 60, string? api = null) =>
        Plan(runs, ScriptedModelLane.Id, fixture, timeoutSeconds, scenario: scenario, api: api);

    public static Stage2Request Plan(string runs, string lane, string? fixture = null, int timeoutSeconds = 60, string? scenario = null,
        string? provider = null, string? model = null, string? baseUrl = null, IReadOnlyList<CtoHarness.Models.AdmittedModel>? admitted = null,
        string? profile = null, string? api = null)
    {
        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [fixture ?? TestPaths.SlugifyFixture],
            Lane = lane,
            RunsDirectory = runs,
            TimeoutSeconds = timeoutSeconds.ToString(),
            CaseLockFile = LockFile,
            CaseLockFileIsExplicit = true,
            ScriptedModelScenario = scenario,
            ScriptedModelApi = api,
            CaseModelProvider = provider,
            CaseModel = model,
            CaseLocalBaseUrl = baseUrl,
            AdmittedModels = admitted ?? [],
            CaseProfile = profile,
            ReuseBaseline = "false", // every test runs its own baseline, whatever ran before it (BaselineReuseTests covers reuse)
        });
        Assert.Empty(errors);
        return Assert.Single(requests) with { KillGrace = TimeSpan.FromMilliseconds(500) };
    }

    private static (string, string, string) BuildAndAdmit()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepoRoot, "build", "real-case.sh")])
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = stdout.Split('\n').Where(l => l.Contains(": ")).ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 2)..].Trim());
        if (process.ExitCode != 0 || !lines.ContainsKey("ca") || !lines.ContainsKey("lock"))
        {
            throw new InvalidOperationException($"build/real-case.sh could not build and admit the real ca (exit {process.ExitCode}):\n{stdout}\n{stderr.Result}");
        }
        return (lines["ca"], lines["lock"], lines["commit"]);
    }
}
