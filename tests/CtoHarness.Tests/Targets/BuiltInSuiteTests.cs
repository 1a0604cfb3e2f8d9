using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

/// <summary>The whole built-in suite, selected with CtoHarnessBuiltInFixtures=all, on the fake lane.</summary>
[Trait("Layer", "Process")]
public sealed class BuiltInSuiteTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void All_selects_every_built_in_fixture_and_each_passes_with_its_reference_solution()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var outcome = InProcessBuild.Build(project, "CaseStage2", new Dictionary<string, string>
        {
            ["CtoHarnessRunsDir"] = _temp.Combine("runs"),
            ["CtoHarnessBuiltInFixtures"] = "all",
            ["CtoHarnessMaxParallel"] = "2",
            ["CtoHarnessSummaryFile"] = _temp.Combine("summary.json"),
        });

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        var summary = JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(_temp.Combine("summary.json")), JsonFiles.Options)!;
        Assert.Equal(TestPaths.BuiltInFixtures.Select(Path.GetFileName), summary.Pairs.Select(p => p.Fixture).Order(StringComparer.Ordinal));
        Assert.True(summary.Pairs.Count >= 6);
        Assert.All(summary.Pairs, pair => Assert.Equal(RunStatus.Pass, pair.Verdict));
        // Every run was graded test by test from its framework's own results, in Python, C# and JavaScript.
        Assert.All(outcome.RunReports.Select(ReportAssert.Valid), report =>
        {
            Assert.NotEmpty(report.Tests.Final!.Results);
            Assert.All(report.Tests.Final.Results, result => Assert.Equal("passed", result.Outcome));
        });
        var languages = TestPaths.BuiltInFixtures.Select(f => JsonDocument.Parse(File.ReadAllText(Path.Combine(f, "fixture.json"))).RootElement.GetProperty("project").GetProperty("language").GetString());
        Assert.Equal(["csharp", "javascript", "python"], languages.Distinct().Order());
    }
}
