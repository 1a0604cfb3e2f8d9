using System.Diagnostics;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>Runs the dotnet CLI out of process as a user would, without CtoHarness variables from the test's own environment.</summary>
public static class Dotnet
{
    public static (int ExitCode, string Output) Run(string workingDirectory, IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CTO_HARNESS_", StringComparison.Ordinal) || k == "GITHUB_STEP_SUMMARY").ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
