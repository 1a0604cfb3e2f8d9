using System.Text.Json;
using CtoHarness.Sandbox;

namespace CtoHarness.Processes;

/// <summary>What the sandbox init recorded: the program's pid in the run's namespace, how it ended, what else it ended.</summary>
internal sealed record SandboxInitRecord(int Pid, int ExitCode, IReadOnlyList<ReapedProcess> Ended)
{
    /// <summary>Why the program could not be started (the init could not exec it), when it could not.</summary>
    public string? StartError { get; init; }
}

/// <summary>
/// One program's command line as the run supervisor starts it: the program itself, or, in the sandbox,
/// bubblewrap and the sandbox init in front of it, with the files the supervisor opens for them.
/// </summary>
internal sealed record SandboxLaunch(IReadOnlyList<string> Argv, IReadOnlyList<PassedFile> Passed, SandboxedBy? Sandbox)
{
    /// <summary>The descriptor a program that is an open file of the harness (a sealed provider image) is handed as.</summary>
    private const int ProgramFd = 5;

    private string? _initRecordPath;

    public static SandboxLaunch Of(ProcessSpec spec, SandboxedBy sandboxed, string statusPath)
    {
        var passed = new List<PassedFile>(spec.PassedFiles);
        var program = spec.FileName;
        if (program.StartsWith("/proc/", StringComparison.Ordinal))
        {
            // /proc/<harness>/fd/<n> names nothing in the sandbox's own /proc: the supervisor hands the image over.
            passed.Add(new PassedFile(ProgramFd, program, Write: false));
            program = $"/proc/self/fd/{ProgramFd}";
        }
        var record = Path.ChangeExtension(statusPath, ".sandbox.json");
        passed.Add(new PassedFile(Bubblewrap.ReportFd, record, Write: true));
        WritableFolders.HandOver(sandboxed.Sandbox, sandboxed.Policy.Writable);
        var argv = Bubblewrap.Command(sandboxed.Sandbox, sandboxed.Policy, [program, .. spec.Arguments], spec.WorkingDirectory, spec.Environment, spec.KillGrace);
        return new SandboxLaunch(argv, passed, sandboxed) { _initRecordPath = record };
    }

    /// <summary>As whom and with which network the program ran: the sandbox's user, or the harness's in a user namespace.</summary>
    public SandboxRun? Run() => Sandbox is null ? null : new SandboxRun(
        Sandbox.Sandbox.Uid ?? HarnessUser.EffectiveId, Sandbox.Sandbox.Uid is not null, Sandbox.Policy.Network.ToString().ToLowerInvariant());

    /// <summary>The reaper's list without bubblewrap and the init: they are the sandbox, not the run's processes.</summary>
    public IReadOnlyList<ReapedProcess> WithoutPlumbing(IReadOnlyList<ReapedProcess> reaped) => Sandbox is null
        ? reaped
        : [.. reaped.Where(p => !p.CommandLine.StartsWith(Sandbox.Sandbox.Tool, StringComparison.Ordinal) && !p.CommandLine.Contains(InitMark, StringComparison.Ordinal))];

    /// <summary>
    /// A bound or a cancellation: the init is told first, so that it ends the run's processes itself (SIGTERM, the
    /// grace, then SIGKILL) and records each; the harness's reaper then finds nothing, or what the init could not end.
    /// </summary>
    public void StopInit(RunProcessReaper reaper, int supervisorPid, Func<bool> ended, TimeSpan grace)
    {
        // The init's script is on bubblewrap's command line too: the init is the one that is not bubblewrap.
        if (Sandbox is null || reaper.FindDescendant(supervisorPid, line => line.Contains(InitMark, StringComparison.Ordinal) &&
                !line.StartsWith(Sandbox.Sandbox.Tool, StringComparison.Ordinal)) is not { } init)
        {
            return;
        }
        Posix.Kill(init, Posix.SIGTERM);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!ended() && clock.Elapsed < grace + TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }
    }

    private const string InitMark = "CtoHarness sandbox init";

    public SandboxInitRecord? ReadInitRecord()
    {
        if (_initRecordPath is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(_initRecordPath));
            var root = document.RootElement;
            if (root.TryGetProperty("startError", out var startError))
            {
                return new SandboxInitRecord(0, 127, []) { StartError = startError.GetString() ?? "the program could not be started" };
            }
            var ended = root.GetProperty("ended").EnumerateArray()
                .Select(e => new ReapedProcess(e.GetProperty("pid").GetInt32(), e.GetProperty("commandLine").GetString() ?? "", e.GetProperty("signal").GetString() ?? ""))
                .ToList();
            return new SandboxInitRecord(root.GetProperty("pid").GetInt32(), root.GetProperty("exitCode").GetInt32(), ended);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null; // the init never ran, or was killed before it could write
        }
    }
}

/// <summary>Measures the sandbox's writable folders about once a second against the disk limit.</summary>
internal sealed class DiskWatch(SandboxedBy sandboxed)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly System.Diagnostics.Stopwatch _since = System.Diagnostics.Stopwatch.StartNew();

    public string? Exceeded { get; private set; }

    public string? Check()
    {
        if (_since.Elapsed < Interval)
        {
            return null;
        }
        _since.Restart();
        var limit = sandboxed.Sandbox.Limits.DiskBytes;
        var used = WritableFolders.BytesUnder(sandboxed.Policy.Writable);
        if (used > limit)
        {
            Exceeded = $"disk: {used} bytes in the run's writable folders, limit {limit}";
        }
        return Exceeded;
    }
}
