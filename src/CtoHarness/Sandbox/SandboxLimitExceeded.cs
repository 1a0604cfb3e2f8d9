using CtoHarness.Contracts;

namespace CtoHarness.Sandbox;

/// <summary>A program of the run went past a limit the harness watches (the bytes of its writable folders) and was stopped.</summary>
public sealed class SandboxLimitExceeded(string program, string limit) : ExpectedFailure(Diagnostics.SandboxLimit, $"the {program} went past the sandbox's {limit}; it was stopped")
{
    public string Program { get; } = program;
    public string Limit { get; } = limit;
}
