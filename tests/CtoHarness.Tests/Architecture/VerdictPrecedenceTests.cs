using System.Text.RegularExpressions;
using CtoHarness.Contracts;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Architecture;

/// <summary>The precedence of simultaneous failures is the one docs/design.md states, for every pair.</summary>
[Trait("Layer", "Unit")]
public class VerdictPrecedenceTests
{
    /// <summary>The codes of the design's "Failure taxonomy and precedence" table, in its rank order.</summary>
    private static readonly List<string> Documented = Regex.Matches(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "design.md")), @"^\| (\d+) \| (CTOH\d{3}) \|", RegexOptions.Multiline)
        .OrderBy(m => int.Parse(m.Groups[1].Value)).Select(m => m.Groups[2].Value).ToList();

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var first in FailureKind.All)
        {
            foreach (var second in FailureKind.All.Where(k => k != first))
            {
                pairs.Add(first.Code, second.Code);
            }
        }
        return pairs;
    }

    [Fact]
    public void The_code_s_precedence_is_the_documented_table_and_covers_every_failure()
    {
        Assert.Equal(Documented, Verdicts.Precedence.Select(k => k.Code));
        Assert.Equal(FailureKind.All.Select(k => k.Code).Order(), Documented.Order());
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Of_two_simultaneous_failures_the_one_ranked_first_is_the_verdict_whatever_the_order_found(string a, string b)
    {
        var (first, second) = (Finding(a), Finding(b));
        var expected = Documented.IndexOf(a) < Documented.IndexOf(b) ? a : b;

        Assert.Equal(expected, Verdicts.Decide([first, second])!.Kind.Code);
        Assert.Equal(expected, Verdicts.Decide([second, first])!.Kind.Code);
    }

    [Fact]
    public void No_finding_is_a_pass_and_of_two_of_one_kind_the_first_found_stays()
    {
        Assert.Null(Verdicts.Decide([]));
        var decided = Verdicts.Decide([new Finding(FailureKind.TestsFailed, "first"), new Finding(FailureKind.TestsFailed, "second")]);
        Assert.Equal("first", decided!.Detail);
    }

    private static Finding Finding(string code) => new(FailureKind.All.Single(k => k.Code == code), $"{code} found");
}
