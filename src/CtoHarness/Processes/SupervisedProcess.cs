using System.ComponentModel;
using System.Diagnostics;

namespace CtoHarness.Processes;

/// <summary>
/// Runs one child with stdin closed, a clean environment, a time bound and capped output, and leaves no
/// process of the run behind: after the child ends (or is stopped) every process carrying the run marker
/// is terminated, which also releases pipes that leftover descendants held open.
/// </summary>
public static class SupervisedProcess
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static ProcessResult Run(ProcessSpec spec, RunProcessReaper reaper, CancellationToken cancellation)
    {
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
        };
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }
        startInfo.Environment[RunProcessReaper.MarkerVariable] = reaper.Marker;

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        try
        {
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

        var (timedOut, cancelled) = WaitForExit(process, spec.Timeout, cancellation);
        var reaped = reaper.TerminateAll(spec.KillGrace, process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        // Bounded: a process stuck in the kernel (uninterruptible sleep) must not hang the build.
        var exited = process.WaitForExit(DrainTimeout);
        var duration = clock.Elapsed;

        if (!(stdout.Wait(DrainTimeout) & stderr.Wait(DrainTimeout)))
        {
            // Something outside the run (or unkillable) still holds a pipe: stop reading rather than hang.
            process.StandardOutput.BaseStream.Dispose();
            process.StandardError.BaseStream.Dispose();
            stdout.Wait(DrainTimeout);
            stderr.Wait(DrainTimeout);
        }

        return new ProcessResult
        {
            Started = true,
            ExitCode = exited ? process.ExitCode : null,
            TimedOut = timedOut,
            Cancelled = cancelled,
            Duration = duration,
            Stdout = stdout.Result,
            Stderr = stderr.Result,
            RootPid = process.Id,
            Reaped = reaped,
        };
    }

    /// <summary>Polls rather than awaiting, so that waiting needs no thread-pool thread (see OutputCapture).</summary>
    private static (bool TimedOut, bool Cancelled) WaitForExit(Process process, TimeSpan timeout, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(PollInterval))
        {
            if (cancellation.IsCancellationRequested)
            {
                return (false, true);
            }
            if (clock.Elapsed >= timeout)
            {
                return (true, false);
            }
        }
        return (false, false);
    }
}
