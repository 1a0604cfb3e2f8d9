using System.Text.RegularExpressions;
using CtoHarness.Processes;

namespace CtoHarness.Tests.Infrastructure;

public static class RunProcesses
{
    /// <summary>Live processes carrying the run's marker (the reaper's marker is the run id plus a GUID).</summary>
    public static List<string> Surviving(string runId)
    {
        var marker = new Regex($"(^|\0){RunProcessReaper.MarkerVariable}={Regex.Escape(runId)}-[0-9a-f]{{32}}(\0|$)");
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
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
                if (marker.IsMatch(File.ReadAllText($"/proc/{pid}/environ")))
                {
                    found.Add($"{pid} [{stat}] {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
