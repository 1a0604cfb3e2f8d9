using CtoHarness.Contracts;
using CtoHarness.Processes;

namespace CtoHarness.Tests.Infrastructure;

public static class RunProcesses
{
    /// <summary>Live processes carrying the run's marker, as the report records it (pid, stat and command line each).</summary>
    public static List<string> Surviving(Stage2Report report)
    {
        if (report.Backend.ProcessMarker is not { } marker)
        {
            return [];
        }
        var entry = $"{RunProcessReaper.MarkerVariable}={marker}";
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                if (stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X')
                {
                    continue;
                }
                if (File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(entry))
                {
                    found.Add($"{pid} [{stat}] {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }
        return found;
    }
}
