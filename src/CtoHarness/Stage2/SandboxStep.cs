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
    /// <summary>The sandbox (null: none), what report.json says of it, and the block when one is required and there is none.</summary>
    public static (RunSandbox? Sandbox, SandboxSection Section, Finding? Block) Decide(Stage2Request request)
    {
        var sandbox = Bubblewrap.Find(request.SandboxTool, RunSupervisor.Interpreter, request.SandboxLimits, Hidden(request), out var reason) is { } found
            ? found with { Shown = request.SandboxReadOnly }
            : null;
        if (sandbox is null)
        {
            var section = new SandboxSection { Required = request.RequireSandbox, Kind = "none", Warning = $"no sandbox: {reason}" };
            var block = request.RequireSandbox
                ? new Finding(FailureKind.SandboxUnavailable,
                    $"no sandbox can be had for the run's programs ({reason}); install bubblewrap, or set CtoHarnessRequireSandbox=false to run them with the harness's own rights",
                    $"why: {reason}\n")
                : null;
            return (null, section, block);
        }
        return (sandbox, new SandboxSection
        {
            Required = request.RequireSandbox,
            Kind = RunSandbox.Kind,
            Tool = sandbox.Tool,
            Limits = new SandboxLimitsSection
            {
                Processes = sandbox.Limits.Processes,
                MemoryBytes = sandbox.Limits.MemoryBytes,
                FileBytes = sandbox.Limits.FileBytes,
                DiskBytes = sandbox.Limits.DiskBytes,
            },
        }, null);
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
