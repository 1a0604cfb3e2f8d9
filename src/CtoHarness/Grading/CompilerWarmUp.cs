namespace CtoHarness.Grading;

/// <summary>
/// Runs the test command of a C# fixture behind warm_csharp_compiler.sh (passed inline with <c>-c</c>), which starts
/// and warms the SDK's compiler server in the background while the command starts: the build's compiles then go to a
/// warm server instead of each paying the compiler's start-up. The server lives inside the test program, and ends
/// with it (the sandbox's init, or the run's reaper, ends every process of the program).
/// </summary>
public static class CompilerWarmUp
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(CompilerWarmUp).Assembly.GetManifestResourceStream("CtoHarness.Grading.warm_csharp_compiler.sh")
            ?? throw new InvalidOperationException("the compiler warm-up script is missing from the harness assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>The command to run instead, or null when the fixture is not C# built with <c>dotnet</c> (or there is no /bin/sh).</summary>
    public static IReadOnlyList<string>? Wrap(string? language, IReadOnlyList<string> command)
    {
        if (!string.Equals(language, "csharp", StringComparison.OrdinalIgnoreCase) || command.Count < 2 ||
            Path.GetFileNameWithoutExtension(command[0]) != "dotnet" || OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return null;
        }
        return ["/bin/sh", "-c", Script.Value, "ctoharness-warm-up", .. command];
    }
}
