using CtoHarness.Contracts;
using CtoHarness.Processes;
using CtoHarness.Sandbox;

namespace CtoHarness.Stage2;

/// <summary>
/// Decides the sandbox every program of the run runs in, before any of them starts: bubblewrap where it works;
/// where it does not, the run is blocked (CTOH103) unless the request does not require one, and then the report
/// says <c>sandbox: none</c> and why.
/// </summary>
internal static class SandboxStep
{
    public static RunSandbox? Decide(Stage2Request request, Stage2Report report)
    {
        var sandbox = Bubblewrap.Find(request.SandboxTool, RunSupervisor.Interpreter, request.SandboxLimits, Hidden(request), out var reason) is { } found
            ? found with { Shown = request.SandboxReadOnly }
            : null;
        var section = report.Sandbox;
        section.Required = request.RequireSandbox;
        if (sandbox is null)
        {
            section.Kind = "none";
            section.Warning = $"no sandbox: {reason}";
            if (request.RequireSandbox)
            {
                throw new Stage2Stop(FailureKind.SandboxUnavailable,
                    $"no sandbox can be had for the run's programs ({reason}); install bubblewrap, or set CtoHarnessRequireSandbox=false to run them with the harness's own rights",
                    $"why: {reason}\n");
            }
            return null;
        }
        section.Kind = RunSandbox.Kind;
        section.Tool = sandbox.Tool;
        section.Limits = new SandboxLimitsSection
        {
            Processes = sandbox.Limits.Processes,
            MemoryBytes = sandbox.Limits.MemoryBytes,
            FileBytes = sandbox.Limits.FileBytes,
            DiskBytes = sandbox.Limits.DiskBytes,
        };
        return sandbox;
    }

    /// <summary>Records how one program ran (called for each program of the run).</summary>
    public static void Record(Stage2Report report, string program, ProcessResult result)
    {
        if (result.Sandbox is { } run)
        {
            report.Sandbox.Programs.Add(new SandboxProgram { Program = program, Uid = run.Uid, SeparateUser = run.SeparateUser, Network = run.Network });
        }
    }

    /// <summary>
    /// Folders no program of the run sees (each becomes an empty folder): the harness's home, other users' homes,
    /// the system's shared temporary and runtime folders, every run (this one's writable folders are given back),
    /// the fixture (its reference solution) and the repository being built.
    /// </summary>
    private static IEnumerable<string> Hidden(Stage2Request request)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string?[] hidden = [home, "/root", "/home", "/run", "/var/tmp", "/tmp", "/mnt", "/media", request.RunsDirectory, request.FixtureDirectory, request.TargetRepository];
        return hidden.OfType<string>().Where(h => h.Length > 1 && new DirectoryInfo(h).LinkTarget is null);
    }
}
