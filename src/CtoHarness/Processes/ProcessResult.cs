namespace CtoHarness.Processes;

public sealed record ProcessResult
{
    public bool Started { get; init; }
    public string? StartError { get; init; }
    public int? ExitCode { get; init; }
    public bool TimedOut { get; init; }
    public bool Cancelled { get; init; }
    /// <summary>Writing the output logs failed (e.g. no space left on device); the child was stopped at once.</summary>
    public string? OutputFault { get; init; }
    /// <summary>True when the program ran under the subreaper supervisor, so no descendant could leave the run.</summary>
    public bool Contained { get; init; }
    /// <summary>The user the program ran as, when it ran in the sandbox (null: no sandbox).</summary>
    public SandboxRun? Sandbox { get; init; }
    /// <summary>A sandbox limit the run went past (the program was stopped), e.g. the bytes of its writable folders.</summary>
    public string? LimitExceeded { get; init; }
    public TimeSpan Duration { get; init; }
    public CapturedOutput Stdout { get; init; } = CapturedOutput.Empty;
    public CapturedOutput Stderr { get; init; } = CapturedOutput.Empty;
    public int? RootPid { get; init; }
    /// <summary>Processes of the run (the root included) still alive when it ended or was stopped, and so killed.</summary>
    public IReadOnlyList<ReapedProcess> Reaped { get; init; } = [];

    /// <summary>Descendants that outlived the root process.</summary>
    public int OrphansReaped => Reaped.Count(p => p.Pid != RootPid);
}

/// <summary>How a program ran in the sandbox: as which user, with which network.</summary>
public sealed record SandboxRun(int Uid, bool SeparateUser, string Network);

public sealed record CapturedOutput(long TotalBytes, long KeptBytes)
{
    public static CapturedOutput Empty { get; } = new(0, 0);

    public bool Truncated => TotalBytes > KeptBytes;
}

public sealed record ReapedProcess(int Pid, string CommandLine, string Signal);
