using CtoHarness.FixtureCheck;
using CtoHarness.Settings;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>
/// Checks fixture directories before they are committed: a valid manifest, protected test files, a baseline as
/// declared, a reference solution that passes, the same outcome over the repeats, cassettes that replay. One coded
/// error per problem, pointing at the file to fix.
/// </summary>
public sealed class CaseFixtureCheck : CtoHarnessTask
{
    [Required]
    public ITaskItem[] Fixtures { get; set; } = [];

    public string? RunsDirectory { get; set; }
    public string? FakeProviderAssembly { get; set; }
    public string? DotnetHostPath { get; set; }
    public string? SandboxTool { get; set; }
    public string? SandboxReadOnly { get; set; }
    /// <summary>The admission lock of the real `ca`: when it exists, each cassette beside a fixture is replayed with it.</summary>
    public string? CaseLockFile { get; set; }
    /// <summary>How many final test runs with the reference solution must agree (default 3).</summary>
    public int Repeats { get; set; } = 3;

    private protected override void Run(CodedErrors errors)
    {
        var settings = new Stage2Settings
        {
            RunsDirectory = RunsDirectory,
            FakeProviderAssembly = FakeProviderAssembly,
            DotnetHostPath = DotnetHostPath,
            SandboxTool = SandboxTool,
            SandboxReadOnly = SandboxReadOnly,
            CaseLockFile = string.IsNullOrWhiteSpace(CaseLockFile) ? null : Path.GetFullPath(CaseLockFile),
            CaseLockFileIsExplicit = false,
        };
        foreach (var fixture in Fixtures.Select(f => f.GetMetadata("FullPath")))
        {
            var result = FixtureChecker.Check(fixture, settings, Math.Clamp(Repeats, 1, 20), Cancellation);
            foreach (var problem in result.Problems)
            {
                errors.FixtureProblem(problem);
            }
            var runs = string.Join(", ", result.Runs.Select(r => $"{r.Report.Lane} {r.Report.Status.ToString().ToLowerInvariant()} ({r.ReportPath})"));
            Log.LogMessage(MessageImportance.High, result.Problems.Count == 0
                ? $"CtoHarness fixture check: {fixture} is sound; runs: {runs}"
                : $"CtoHarness fixture check: {fixture} has {result.Problems.Count} problem(s); runs: {runs}");
        }
    }
}
