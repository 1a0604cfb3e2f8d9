using System.Diagnostics;
using System.Text;

namespace CtoHarness.Processes;

/// <summary>
/// Finds and ends every process that descends from a run. Real Case starts the model's commands detached,
/// in their own session, so neither the process group nor the tree at kill time finds them once they are
/// reparented. Every child of a run instead inherits a unique marker variable, and on Linux the reaper
/// looks for that marker in /proc/*/environ. Elsewhere it falls back to killing the known tree.
/// </summary>
public sealed class RunProcessReaper(string marker)
{
    public const string MarkerVariable = "CTO_HARNESS_RUN_MARKER";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly byte[] _needle = Encoding.UTF8.GetBytes($"{MarkerVariable}={marker}\0");

    public string Marker { get; } = marker;

    public static bool CanScan => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>SIGTERM to all, up to <paramref name="grace"/> for them to go, then SIGKILL to whatever is left.</summary>
    public IReadOnlyList<ReapedProcess> TerminateAll(TimeSpan grace, Process? root = null)
    {
        if (!CanScan)
        {
            return KillTreeFallback(root);
        }

        var reaped = new Dictionary<int, ReapedProcess>();
        var deadline = Stopwatch.StartNew();
        // Processes may fork while we look, so signal, re-scan and repeat until a scan finds nothing.
        while (FindLiving() is { Count: > 0 } living)
        {
            var signal = deadline.Elapsed < grace ? Posix.SIGTERM : Posix.SIGKILL;
            foreach (var pid in living)
            {
                var name = signal == Posix.SIGTERM ? "SIGTERM" : "SIGKILL";
                if (!reaped.ContainsKey(pid))
                {
                    reaped[pid] = new ReapedProcess(pid, ReadCommandLine(pid), name);
                }
                else if (signal == Posix.SIGKILL && reaped[pid].Signal == "SIGTERM")
                {
                    reaped[pid] = reaped[pid] with { Signal = "SIGTERM, then SIGKILL" };
                }
                Posix.Kill(pid, signal);
            }
            Thread.Sleep(PollInterval);
            if (deadline.Elapsed > grace + TimeSpan.FromSeconds(10))
            {
                break; // unkillable (e.g. uninterruptible sleep); what we saw is reported
            }
        }
        return [.. reaped.Values.OrderBy(p => p.Pid)];
    }

    public List<int> FindLiving()
    {
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == self)
            {
                continue;
            }
            if (!IsZombie(pid) && EnvironmentContainsMarker(pid))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    private bool EnvironmentContainsMarker(int pid)
    {
        try
        {
            var environ = File.ReadAllBytes($"/proc/{pid}/environ");
            return environ.AsSpan().IndexOf(_needle) >= 0 || environ.AsSpan().EndsWith(_needle.AsSpan(0, _needle.Length - 1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or not ours
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static IReadOnlyList<ReapedProcess> KillTreeFallback(Process? root)
    {
        if (root is null || root.HasExited)
        {
            return [];
        }
        var reaped = new ReapedProcess(root.Id, root.StartInfo.FileName, "kill-tree");
        root.Kill(entireProcessTree: true);
        return [reaped];
    }
}
