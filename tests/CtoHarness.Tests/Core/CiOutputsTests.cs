using System.Xml.Linq;
using CtoHarness.Reporting;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Process")]
public sealed class CiOutputsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private List<Stage2Result> TwoRuns() =>
    [
        Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"))),
        Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), "noop")),
    ];

    [Fact]
    public void JUnit_has_one_test_case_per_run_with_failures_named_by_code()
    {
        var results = TwoRuns();
        var path = _temp.Combine("ci", "ctoharness.junit.xml");

        CiOutputs.WriteJUnit(path, results);

        var suite = XDocument.Load(path).Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(2, cases.Count);
        Assert.Null(cases[0].Element("failure"));
        var failure = cases[1].Element("failure")!;
        Assert.Equal("CTOH402", failure.Attribute("type")!.Value);
        Assert.Contains("no changes", failure.Attribute("message")!.Value);
    }

    [Fact]
    public void The_step_summary_gets_a_markdown_table_appended()
    {
        var results = TwoRuns();
        var path = _temp.Combine("summary.md");
        File.WriteAllText(path, "earlier step\n");

        CiOutputs.AppendStepSummary(path, results);

        var lines = File.ReadAllLines(path);
        Assert.Equal("earlier step", lines[0]);
        Assert.Contains("| fixture | lane | status | reason | duration | model calls | tokens | page (in the runs artifact) | evidence |", lines);
        Assert.True(lines.Any(l => l.StartsWith("| r1-string-slugify | fake | ✅ pass |")), string.Join("\n", lines) + "\n" + results[0].Report.Message);
        Assert.Contains(lines, l => l.StartsWith("| r1-string-slugify | fake | ❌ fail | no changes |"));
    }
}
