namespace CtoHarness.Tests.Infrastructure;

public static class RunProcesses
{
    /// <summary>Live processes whose environment mentions the run (the reaper's marker embeds the run id).</summary>
    public static List<int> Surviving(string runId)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(runId);
        var found = new List<int>();
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
                if (File.ReadAllBytes($"/proc/{pid}/environ").AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
