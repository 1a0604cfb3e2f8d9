using CtoHarness.Grading;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Unit")]
public sealed class JUnitResultParserTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_outcomes_per_test_case()
    {
        var path = _temp.Combine("results.xml");
        File.WriteAllText(path, """
            <testsuites><testsuite name="s">
              <testcase classname="pkg.Tests" name="ok" />
              <testcase classname="pkg.Tests" name="bad"><failure message="x" /></testcase>
              <testcase classname="pkg.Tests" name="boom"><error message="y" /></testcase>
              <testcase classname="pkg.Tests" name="later"><skipped /></testcase>
              <testcase name="bare" />
            </testsuite></testsuites>
            """);

        var results = JUnitResultParser.Parse(path).Results.ToDictionary(r => r.Id, r => r.Outcome);

        Assert.Equal(TestOutcome.Passed, results["pkg.Tests.ok"]);
        Assert.Equal(TestOutcome.Failed, results["pkg.Tests.bad"]);
        Assert.Equal(TestOutcome.Error, results["pkg.Tests.boom"]);
        Assert.Equal(TestOutcome.Skipped, results["pkg.Tests.later"]);
        Assert.Equal(TestOutcome.Passed, results["bare"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<testsuite><testcase name=")]
    public void A_missing_or_broken_file_reports_nothing_so_every_test_counts_as_missing(string? content)
    {
        var path = _temp.Combine("results.xml");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        Assert.Empty(JUnitResultParser.Parse(path).Results);
    }
}
