using System.Diagnostics;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>Packs CtoHarness.Build once per test class, with a unique version, into a fresh local feed.</summary>
public sealed class PackedHarness : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PackedHarness()
    {
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Feed = _temp.Combine("feed");
        var (exitCode, output) = Dotnet.Run(TestPaths.RepoRoot, null,
            "pack", Path.Combine("src", "CtoHarness.Build", "CtoHarness.Build.csproj"), "-c", "Release", "-o", Feed,
            $"-p:Version={Version}", "/nodeReuse:false", "-nologo");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        }
        Package = Path.Combine(Feed, $"CtoHarness.Build.{Version}.nupkg");
    }

    public string Version { get; }
    public string Feed { get; }
    public string Package { get; }

    public void Dispose() => _temp.Dispose();
}

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
