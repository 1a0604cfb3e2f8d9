using System.Diagnostics;

namespace CtoHarness.Workspace;

/// <summary>
/// Runs the harness's own git commands in a workspace, isolated from the user's and the system's git
/// configuration, with a fixed identity and an explicit, minimal environment (no secret of the build reaches
/// git or anything it could start). Settings that make git run other programs (hooks, fsmonitor, pager,
/// external diff, textconv) are switched off on the command line, which wins over any repository config; the
/// harness's baseline repository is also checked byte for byte before use (<see cref="BaselineRepository.Tampered"/>).
/// </summary>
public static class Git
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Run(string workingDirectory, params string[] arguments) =>
        System.Text.Encoding.UTF8.GetString(RunRaw(workingDirectory, arguments));

    /// <summary>What git printed, as its bytes: the names it lists need not be UTF-8.</summary>
    public static byte[] RunRaw(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[]
                 {
                     "-c", "user.name=CtoHarness", "-c", "user.email=harness@ctoharness.invalid",
                     "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false",
                     "-c", "core.fsmonitor=false", "-c", "core.pager=cat", "-c", "core.attributesFile=/dev/null",
                     "-c", "core.sshCommand=false", "-c", "protocol.allow=never",
                     // The workspace belongs to the sandbox's user while the run's programs work in it.
                     "-c", "safe.directory=*",
                 }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        foreach (var (name, value) in Processes.AllowedEnvironment.FromCurrentProcess())
        {
            startInfo.Environment[name] = value;
        }
        startInfo.Environment["HOME"] = OperatingSystem.IsWindows() ? "NUL" : "/nonexistent";
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        startInfo.Environment["GIT_ATTR_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        startInfo.Environment["GIT_AUTHOR_DATE"] = "2000-01-01T00:00:00Z";
        startInfo.Environment["GIT_COMMITTER_DATE"] = "2000-01-01T00:00:00Z";

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        // Both pipes are drained on threads of their own, never the thread pool: callers run many of these
        // while other runs block pool threads (see OutputCapture).
        var stderr = "";
        var stderrReader = new Thread(() => stderr = process.StandardError.ReadToEnd()) { IsBackground = true };
        stderrReader.Start();
        var stdout = new MemoryStream();
        var stdoutReader = new Thread(() => process.StandardOutput.BaseStream.CopyTo(stdout)) { IsBackground = true };
        stdoutReader.Start();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s");
        }
        stdoutReader.Join();
        stderrReader.Join();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Trim()}");
        }
        return stdout.ToArray();
    }
}
