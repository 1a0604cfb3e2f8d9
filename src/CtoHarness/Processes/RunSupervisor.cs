using System.Diagnostics;
using System.Text.Json;

namespace CtoHarness.Processes;

/// <summary>How the supervised program ended, as the supervisor recorded it.</summary>
internal sealed record SupervisorStatus(int? Pid, int? ExitCode, int? Signal, string? StartError, bool Subreaper)
{
    public bool Ended => ExitCode is not null || Signal is not null || StartError is not null;

    /// <summary>The exit code as a parent sees it: 128 + signal for a program killed by a signal.</summary>
    public int? ShellExitCode => ExitCode ?? (Signal is { } signal ? 128 + signal : null);
}

/// <summary>
/// The Linux run supervisor (supervise.py): a child subreaper between the harness and every program of a run,
/// so that the run's processes are found as its descendants whatever they do to their environment, session or
/// process group. It runs the program in a process group of its own (an interrupt sent to the build's process
/// group reaches the harness, not the provider) and records how it ended. Where no python3 is found, or off
/// Linux, programs run directly and the reaper relies on the marker variable alone.
/// </summary>
internal static class RunSupervisor
{
    private static readonly Lazy<string?> Python = new(FindPython);
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(RunSupervisor).Assembly.GetManifestResourceStream("CtoHarness.Processes.supervise.py")
            ?? throw new InvalidOperationException("the supervisor script is missing from the harness assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>The interpreter that runs the supervisor, or null when there is none (programs then run directly).</summary>
    public static string? Interpreter => RunProcessReaper.CanScan ? Python.Value : null;

    public static IReadOnlyList<string> Arguments(string statusPath, IEnumerable<PassedFile> passed, IEnumerable<string> argv) =>
        ["-I", "-S", "-c", Script.Value, statusPath, .. passed.SelectMany(p => new[] { "--fd", p.Option }), "--", .. argv];

    public static SupervisorStatus? ReadStatus(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new SupervisorStatus(Int(root, "pid"), Int(root, "exitCode"), Int(root, "signal"),
                root.TryGetProperty("startError", out var error) ? error.GetString() : null,
                root.TryGetProperty("subreaper", out var adopting) && adopting.ValueKind == JsonValueKind.True);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null; // not written yet
        }
    }

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;

    /// <summary>The real interpreter behind <c>python3</c> on PATH (a version-manager shim costs ~100 ms a start).</summary>
    private static string? FindPython()
    {
        try
        {
            var startInfo = new ProcessStartInfo("python3")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var argument in new[] { "-I", "-S", "-c", "import sys; sys.stdout.write(sys.executable)" })
            {
                startInfo.ArgumentList.Add(argument);
            }
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return null;
            }
            return process.ExitCode == 0 && Path.IsPathRooted(output) && File.Exists(output) ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
