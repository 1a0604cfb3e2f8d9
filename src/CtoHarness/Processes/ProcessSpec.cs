namespace CtoHarness.Processes;

/// <summary>Everything needed to start one supervised child process. The environment replaces the parent's.</summary>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string StdoutPath,
    string StderrPath)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);
    public long OutputCapBytes { get; init; } = 8L * 1024 * 1024;
    /// <summary>Called for every complete output line, also past the cap, so classification sees the end.</summary>
    public Action<OutputStream, string>? OnLine { get; init; }

    /// <summary>The sandbox the program runs in, and what it may touch there; null: no sandbox.</summary>
    public SandboxedBy? Sandbox { get; init; }
    /// <summary>Files the run supervisor opens outside any sandbox and hands to the program as descriptors.</summary>
    public IReadOnlyList<PassedFile> PassedFiles { get; init; } = [];

    public IEnumerable<string> CommandLine => Arguments.Prepend(FileName);

    /// <summary>Where the run supervisor records how the program ended: <c>provider.stdout.log</c> → <c>provider.exit.json</c>.</summary>
    public string StatusPath =>
        Path.Combine(Path.GetDirectoryName(StdoutPath)!, Path.GetFileName(StdoutPath).Split('.')[0] + ".exit.json");
}

public sealed record SandboxedBy(CtoHarness.Sandbox.RunSandbox Sandbox, CtoHarness.Sandbox.SandboxPolicy Policy);

/// <summary>A file opened by the run supervisor (to write: always a new regular file, never through a link) and given to the program as descriptor <paramref name="Number"/>.</summary>
public sealed record PassedFile(int Number, string Path, bool Write)
{
    public string Option => $"{Number}={(Write ? "w" : "r")}:{Path}";
}

public enum OutputStream
{
    Stdout,
    Stderr,
}
