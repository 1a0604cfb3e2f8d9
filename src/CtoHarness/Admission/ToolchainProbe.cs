using System.Diagnostics;
using NuGet.Versioning;

namespace CtoHarness.Admission;

/// <summary>Asks a build tool for its version (<c>node --version</c>, <c>bun --version</c>) and checks it against a range.</summary>
public static class ToolchainProbe
{
    public static ToolVersion Probe(string tool, VersionRange range)
    {
        var output = Run(tool);
        var text = output?.Trim().TrimStart('v', 'V');
        if (text is null || !NuGetVersion.TryParse(text, out var version))
        {
            return new ToolVersion { Version = ToolVersion.Missing, Range = range.ToNormalizedString(), Satisfied = false };
        }
        return new ToolVersion { Version = version.ToNormalizedString(), Range = range.ToNormalizedString(), Satisfied = range.Satisfies(version) };
    }

    public static bool IsInstalled(string tool) => Run(tool) is not null;

    private static string? Run(string tool)
    {
        try
        {
            var start = new ProcessStartInfo(tool, ["--version"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? stdout.Result.Split('\n')[0] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
