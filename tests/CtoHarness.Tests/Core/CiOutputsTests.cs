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

    private IReadOnlyList<PairResult> TwoPairs() =>
        Stage2Batch.Run([FakeLane.Request(_temp.Combine("runs")), FakeLane.Request(_temp.Combine("runs"), "noop")], new BatchOptions { MaxParallel = 1 }).Pairs;

    [Fact]
    public void JUnit_has_one_test_case_per_run_with_failures_named_by_code()
    {
        var pairs = TwoPairs();
        var path = _temp.Combine("ci", "ctoharness.junit.xml");

        CiOutputs.WriteJUnit(path, pairs);

        var suite = XDocument.Load(path).Root!.Element("testsuite")!;
        Assert.True(suite.Attribute("failures")!.Value == "1", string.Join("\n", pairs.SelectMany(p => p.Attempts).Select(a => $"{a.Report.Status} {a.Report.FailureReason}: {a.Report.Message}")));
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
        var pairs = TwoPairs();
        var path = _temp.Combine("summary.md");
        File.WriteAllText(path, "earlier step\n");

        CiOutputs.AppendStepSummary(path, pairs, "USD");

        var lines = File.ReadAllLines(path);
        Assert.Equal("earlier step", lines[0]);
        Assert.Contains("| fixture | lane | verdict | attempts | pass rate (95%) | reason | duration | model calls | tokens | cost | page (in the runs artifact) | evidence |", lines);
        Assert.True(lines.Any(l => l.StartsWith("| r1-string-slugify | fake | ✅ pass | ✅1 (all) | 100% (21%–100%) |  |")), string.Join("\n", lines));
        Assert.Contains(lines, l => l.StartsWith("| r1-string-slugify | fake | ❌ fail | ❌1 (all) | 0% (0%–79%) | no changes |"));
        // The fake talks to no model: its cost is not a number, and never 0.
        Assert.All(lines.Where(l => l.StartsWith("| r1")), l => Assert.Contains("| — | — | — |", l));
    }
}
