using System.Diagnostics;
using CtoHarness.Grading;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>The compiler warm-up of C# test commands: only those are wrapped, and the command runs as it would alone.</summary>
[Trait("Layer", "Process")]
public sealed class CompilerWarmUpTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Only_a_csharp_fixture_built_with_dotnet_is_wrapped()
    {
        Assert.NotNull(CompilerWarmUp.Wrap("csharp", ["dotnet", "test", "Money.Tests/Money.Tests.csproj"]));
        Assert.NotNull(CompilerWarmUp.Wrap("CSharp", ["/usr/share/dotnet/dotnet", "test"]));
        Assert.Null(CompilerWarmUp.Wrap("python", ["python3", "-m", "unittest"]));
        Assert.Null(CompilerWarmUp.Wrap("fsharp", ["dotnet", "test"]));
        Assert.Null(CompilerWarmUp.Wrap("csharp", ["make", "test"]));
        Assert.Null(CompilerWarmUp.Wrap("csharp", ["dotnet"]));
    }

    [Fact]
    public void The_command_runs_in_its_place_with_its_own_output_and_exit_code_and_the_compiler_is_warmed_beside_it()
    {
        var command = CompilerWarmUp.Wrap("csharp", ["dotnet", "--version"])!;
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _temp.Path };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["TMPDIR"] = _temp.Path;
        start.Environment["UseSharedCompilation"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output); // what `dotnet --version` prints, and nothing of the warm-up
        // The warm-up compile (through the compiler server it starts) leaves its assembly in the temporary folder.
        var assembly = Path.Combine(_temp.Path, "ctoharness-warm-up", "WarmUp.dll");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(assembly) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        Assert.True(File.Exists(assembly), "the warm-up compile did not run");
        StopServers();
    }

    /// <summary>The server the test started (outside any sandbox here): ended, as a run's supervisor would.</summary>
    private void StopServers()
    {
        foreach (var server in Process.GetProcesses().Where(p => SafeCommandLine(p).Contains("VBCSCompiler", StringComparison.Ordinal)
                                                                   && SafeEnvironmentTemp(p) == _temp.Path))
        {
            server.Kill();
        }
    }

    private static string SafeCommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string? SafeEnvironmentTemp(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("TMPDIR=", StringComparison.Ordinal))?["TMPDIR=".Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
