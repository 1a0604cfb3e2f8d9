using System.Text.RegularExpressions;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

/// <summary>
/// Every CtoHarness error and warning, as `dotnet build` prints it, is one a CI problem matcher annotates: the pattern
/// actions/setup-dotnet registers needs a file, a line and the project in brackets; configuration errors point at the
/// line of the user's project that sets the value, not into the package's targets.
/// </summary>
[Trait("Layer", "Process")]
public sealed partial class AnnotationTests : IDisposable
{
    /// <summary>The csc problem matcher of actions/setup-dotnet: file(line[,col]): error|warning CODE: message [project].</summary>
    [GeneratedRegex(@"^([^\s].*)\((\d+)(?:,\d+|,\d+,\d+)?\):\s+(error|warning)\s+([a-zA-Z]+(?<!MSB)\d+):\s*(.*?)\s+\[(.*?)\]$")]
    private static partial Regex ProblemMatcher();

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private (string Project, List<Match> Diagnostics, string Output) Build(string target, string projectBody, params string[] properties)
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path, projectBody);
        var (_, output) = Dotnet.Run(_temp.Path, null,
            ["build", project, $"-t:{target}", "/nodeReuse:false", "-nologo", "-v:q", "-tl:off", $"-p:CtoHarnessRunsDir={_temp.Combine("runs")}",
             $"-p:CtoHarnessTasksAssembly={TestPaths.TasksAssembly}", .. properties]);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(" CTOH", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, output);
        Assert.All(lines, line => Assert.True(ProblemMatcher().IsMatch(line), $"not annotatable: {line}"));
        return (project, lines.Select(l => ProblemMatcher().Match(l)).ToList(), output);
    }

    [Fact]
    public void A_configuration_error_points_at_the_line_of_the_project_that_sets_the_value()
    {
        var (project, diagnostics, output) = Build("CaseStage2", "<PropertyGroup>\n    <CtoHarnessCaseTimeoutSeconds>ten</CtoHarnessCaseTimeoutSeconds>\n  </PropertyGroup>");

        var error = Assert.Single(diagnostics.DistinctBy(d => d.Value));
        Assert.Equal(("CTOH001", project), (error.Groups[4].Value, error.Groups[1].Value));
        var line = int.Parse(error.Groups[2].Value);
        Assert.Contains("<CtoHarnessCaseTimeoutSeconds>ten", File.ReadAllLines(project)[line - 1]);
    }

    [Fact]
    public void A_run_error_points_at_its_evidence_and_a_missing_lock_at_the_lock()
    {
        var (_, run, _) = Build("CaseStage2", "", "-p:CtoHarnessFakeScenario=noop");
        Assert.Contains(run, d => d.Groups[4].Value == "CTOH402" && d.Groups[1].Value.EndsWith("report.json", StringComparison.Ordinal) && d.Groups[2].Value == "1");

        var (_, verify, _) = Build("CaseProviderVerify", "", $"-p:CtoHarnessCaseLockFile={_temp.Combine("none.lock.json")}");
        Assert.Contains(verify, d => d.Groups[4].Value.StartsWith("CTOH1", StringComparison.Ordinal) && d.Groups[1].Value == _temp.Combine("none.lock.json")
            && d.Groups[5].Value.Contains("dotnet build -t:CaseProviderBuild", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CaseStage2Merge", "CTOH020")]
    [InlineData("CaseStage2Verify", "CTOH016")]
    [InlineData("CaseModelCassette", "CTOH016")]
    [InlineData("CaseProviderAdmit", "CTOH010")]
    public void A_target_missing_its_input_points_at_the_project(string target, string code)
    {
        var (project, diagnostics, _) = Build(target, "");

        var error = Assert.Single(diagnostics.DistinctBy(d => d.Value));
        Assert.Equal((code, project, "1"), (error.Groups[4].Value, error.Groups[1].Value, error.Groups[2].Value));
    }
}
