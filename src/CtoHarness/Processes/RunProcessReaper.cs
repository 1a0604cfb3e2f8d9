using System.Diagnostics;
using System.Text;

namespace CtoHarness.Processes;

/// <summary>
/// Finds and ends every process that descends from a run. Real Case starts the model's commands detached,
/// in their own session, so neither the process group nor the tree at kill time finds them once they are
/// reparented. On Linux every program of a run runs below the run supervisor, a subreaper that adopts
/// orphans, so the run's processes are the supervisor's descendants whatever they do to their environment,
/// session or group; every child also inherits a unique marker variable, found in /proc/*/environ, which
/// covers runs without a supervisor. Elsewhere the reaper falls back to killing the known tree.
/// </summary>
public sealed class RunProcessReaper(string marker)
{
    public const string MarkerVariable = "CTO_HARNESS_RUN_MARKER";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly byte[] _needle = Encoding.UTF8.GetBytes($"{MarkerVariable}={marker}\0");

    public string Marker { get; } = marker;

    public static bool CanScan => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>
    /// SIGTERM to all, up to <paramref name="grace"/> for them to go, then SIGKILL to whatever is left. The
    /// supervisor itself is not signalled: it must outlive its descendants to keep adopting them.
    /// </summary>
    public IReadOnlyList<ReapedProcess> TerminateAll(TimeSpan grace, int? supervisorPid = null, Process? root = null)
    {
        if (!CanScan)
        {
            return KillTreeFallback(root);
        }

        var reaped = new Dictionary<int, ReapedProcess>();
        var deadline = Stopwatch.StartNew();
        // Processes may fork while we look, so signal, re-scan and repeat until a scan finds nothing.
        while (FindLiving(supervisorPid) is { Count: > 0 } living)
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

    /// <summary>The first living descendant of <paramref name="ancestor"/> whose command line matches.</summary>
    public int? FindDescendant(int ancestor, Func<string, bool> commandLine) =>
        FindLiving(ancestor).Order().Cast<int?>().FirstOrDefault(pid => commandLine(ReadCommandLine(pid!.Value)));

    /// <summary>Living processes of the run: descendants of <paramref name="supervisorPid"/> and carriers of the marker.</summary>
    public List<int> FindLiving(int? supervisorPid = null)
    {
        var self = Environment.ProcessId;
        var parents = new Dictionary<int, int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && pid != self && ReadStat(pid) is { Zombie: false } stat)
            {
                parents[pid] = stat.ParentPid;
            }
        }
        return parents.Keys
            .Where(pid => pid != supervisorPid && (Descends(pid, supervisorPid, parents) || EnvironmentContainsMarker(pid)))
            .ToList();
    }

    private static bool Descends(int pid, int? ancestor, Dictionary<int, int> parents)
    {
        if (ancestor is null)
        {
            return false;
        }
        for (var depth = 0; depth < 4096 && parents.TryGetValue(pid, out var parent); depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }
            pid = parent;
        }
        return false;
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

    /// <summary>State and parent from /proc/pid/stat ("pid (name) S ppid …"; the name may hold spaces and parentheses).</summary>
    private static (bool Zombie, int ParentPid)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0] is "Z" or "X", int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null; // gone while we looked
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
