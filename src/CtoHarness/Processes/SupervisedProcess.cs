using System.ComponentModel;
using System.Diagnostics;

namespace CtoHarness.Processes;

/// <summary>
/// Runs one child with stdin closed, a clean environment, a time bound and capped output, and leaves no
/// process of the run behind. On Linux the child runs under the run supervisor (a subreaper: see
/// <see cref="RunSupervisor"/>), and after it ends (or is stopped) every process below the supervisor or carrying
/// the run marker is terminated, which also releases pipes that leftover descendants held open. A fault writing
/// the output logs (e.g. a full disk) stops the child at once.
/// </summary>
public static class SupervisedProcess
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>True when programs run below the run supervisor, which can hand them files (<see cref="ProcessSpec.PassedFiles"/>).</summary>
    public static bool CanPassFiles => RunSupervisor.Interpreter is not null;

    public static ProcessResult Run(ProcessSpec spec, RunProcessReaper reaper, CancellationToken cancellation)
    {
        var interpreter = RunSupervisor.Interpreter;
        var statusPath = spec.StatusPath;
        var sandboxed = interpreter is not null ? spec.Sandbox : null;
        var launch = sandboxed is null ? new SandboxLaunch([.. spec.CommandLine], spec.PassedFiles, null) : SandboxLaunch.Of(spec, sandboxed, statusPath);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = StartInfo(spec, reaper, interpreter, launch) };
        try
        {
            File.Delete(statusPath);
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            return new ProcessResult { Started = false, StartError = e.Message, Duration = clock.Elapsed };
        }
        process.StandardInput.Close();

        var stdout = new OutputCapture(process.StandardOutput.BaseStream, spec.StdoutPath, spec.OutputCapBytes,
            spec.OnLine is null ? null : line => spec.OnLine(OutputStream.Stdout, line));
        var stderr = new OutputCapture(process.StandardError.BaseStream, spec.StderrPath, spec.OutputCapBytes,
            spec.OnLine is null ? null : line => spec.OnLine(OutputStream.Stderr, line));
        var supervised = interpreter is not null;
        var watch = sandboxed is null ? null : new DiskWatch(sandboxed);
        var wait = WaitForEnd(process, supervised ? statusPath : null, spec.Timeout, cancellation, stdout, stderr, watch);
        var (reaped, exited) = EndEverything(process, spec, reaper, launch, supervised, wait);
        var duration = clock.Elapsed;
        Drain(process, stdout, stderr);

        var status = supervised ? RunSupervisor.ReadStatus(statusPath) : null;
        var init = launch.ReadInitRecord();
        if ((status?.StartError ?? init?.StartError) is { } startError)
        {
            return new ProcessResult { Started = false, StartError = startError, Duration = duration };
        }
        if (sandboxed is not null && init is null && wait == WaitEnd.Ended)
        {
            return new ProcessResult { Started = false, StartError = $"the sandbox did not start the program: {FirstLine(spec.StderrPath)}", Duration = duration };
        }
        return new ProcessResult
        {
            Started = true,
            ExitCode = supervised ? status?.ShellExitCode : exited ? process.ExitCode : null,
            TimedOut = wait == WaitEnd.TimedOut,
            Cancelled = wait == WaitEnd.Cancelled,
            OutputFault = stdout.Fault ?? stderr.Fault,
            Duration = duration,
            Stdout = stdout.Result,
            Stderr = stderr.Result,
            RootPid = init is not null ? init.Pid : supervised ? status?.Pid : process.Id,
            Contained = status?.Subreaper ?? false,
            Reaped = init is null ? reaped : [.. init.Ended, .. reaped],
            Sandbox = launch.Run(),
            LimitExceeded = wait == WaitEnd.OverLimit ? watch?.Exceeded : null,
        };
    }

    /// <summary>The child as started: below the supervisor when there is one, with only the spec's environment and the run marker.</summary>
    private static ProcessStartInfo StartInfo(ProcessSpec spec, RunProcessReaper reaper, string? interpreter, SandboxLaunch launch)
    {
        var startInfo = new ProcessStartInfo(interpreter ?? spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
        };
        foreach (var argument in interpreter is null ? spec.Arguments : RunSupervisor.Arguments(spec.StatusPath, launch.Passed, launch.Argv))
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }
        startInfo.Environment[RunProcessReaper.MarkerVariable] = reaper.Marker;
        return startInfo;
    }

    /// <summary>
    /// Once the program has ended, or its bound, its limit or a cancellation came first: the sandbox's init stops the
    /// namespace, the reaper ends every process of the run, and the supervisor is released. What was ended, and whether
    /// the direct child exited.
    /// </summary>
    private static (IReadOnlyList<ReapedProcess> Reaped, bool Exited) EndEverything(Process process, ProcessSpec spec, RunProcessReaper reaper,
        SandboxLaunch launch, bool supervised, WaitEnd wait)
    {
        var statusPath = spec.StatusPath;
        if (supervised)
        {
            AwaitStart(process, statusPath);
            if (wait != WaitEnd.Ended)
            {
                launch.StopInit(reaper, process.Id, () => RunSupervisor.ReadStatus(statusPath) is { Ended: true }, spec.KillGrace);
            }
        }
        var reaped = launch.WithoutPlumbing(reaper.TerminateAll(spec.KillGrace, supervised ? process.Id : null, supervised ? null : process));
        if (supervised && !process.HasExited)
        {
            Posix.Kill(process.Id, Posix.SIGTERM); // everything below it is gone: release the supervisor
        }
        var exited = process.WaitForExit(DrainTimeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            exited = process.WaitForExit(DrainTimeout);
        }
        return (reaped, exited);
    }

    private static void Drain(Process process, OutputCapture stdout, OutputCapture stderr)
    {
        if (!(stdout.Wait(DrainTimeout) & stderr.Wait(DrainTimeout)))
        {
            // Something outside the run (or unkillable) still holds a pipe: stop reading rather than hang.
            process.StandardOutput.BaseStream.Dispose();
            process.StandardError.BaseStream.Dispose();
            stdout.Wait(DrainTimeout);
            stderr.Wait(DrainTimeout);
        }
    }

    /// <summary>
    /// A bound or a cancellation can come before the supervisor has started the program: wait (briefly) until its
    /// pid is on record, so that the program is below the supervisor when the reaper looks.
    /// </summary>
    private static void AwaitStart(Process process, string statusPath)
    {
        var clock = Stopwatch.StartNew();
        while (RunSupervisor.ReadStatus(statusPath) is null && !process.HasExited && clock.Elapsed < DrainTimeout)
        {
            Thread.Sleep(PollInterval);
        }
    }

    private static string FirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault(l => l.Length > 0) ?? "(nothing on stderr)";
        }
        catch (IOException)
        {
            return "(no stderr)";
        }
    }

    private enum WaitEnd
    {
        Ended,
        TimedOut,
        Cancelled,
        OutputFault,
        OverLimit,
    }

    /// <summary>
    /// Until the program ends (the supervisor records it; or the direct child exits), the bound passes, the build
    /// is cancelled, or its output can no longer be written. Polls rather than awaiting, so that waiting needs no
    /// thread-pool thread (see OutputCapture).
    /// </summary>
    private static WaitEnd WaitForEnd(Process process, string? statusPath, TimeSpan timeout, CancellationToken cancellation,
        OutputCapture stdout, OutputCapture stderr, DiskWatch? watch)
    {
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(PollInterval))
        {
            if (statusPath is not null && RunSupervisor.ReadStatus(statusPath) is { Ended: true })
            {
                return WaitEnd.Ended;
            }
            if (cancellation.IsCancellationRequested)
            {
                return WaitEnd.Cancelled;
            }
            if (stdout.Fault is not null || stderr.Fault is not null)
            {
                return WaitEnd.OutputFault;
            }
            if (clock.Elapsed >= timeout)
            {
                return WaitEnd.TimedOut;
            }
            if (watch?.Check() is not null)
            {
                return WaitEnd.OverLimit;
            }
        }
        return WaitEnd.Ended;
    }
}
