using CtoHarness.Backend;
using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

/// <summary>The provider executable must exist, be a regular file and (on Unix) be executable.</summary>
public sealed class ProviderBinaryGate : IPreflightGate
{
    public PreflightBlock? Check(ProviderLaunch launch, Stage2Report report)
    {
        var path = launch.ExecutablePath;
        string? problem = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            problem = "no provider binary is configured (set CtoHarnessCaseBin or CTO_HARNESS_CASE_BIN)";
        }
        else if (Directory.Exists(path))
        {
            problem = $"'{path}' is a directory, not an executable file";
        }
        else if (!File.Exists(path))
        {
            problem = $"'{path}' does not exist";
        }
        else if (launch.FileName == path && !OperatingSystem.IsWindows() &&
                 (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            problem = $"'{path}' is not executable";
        }

        return problem is null
            ? null
            : new PreflightBlock(FailureKind.ProviderUnavailable, problem,
                $"provider: {launch.Kind}\npath: {path}\nproblem: {problem}\n");
    }
}
