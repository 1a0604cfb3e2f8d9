using System.Text.RegularExpressions;
using CtoHarness.Contracts;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>Every code the harness can report has its anchor in docs/errors.md, where the help links point.</summary>
[Trait("Layer", "Unit")]
public class ErrorCodeDocsTests
{
    private static readonly HashSet<string> Documented = Regex.Matches(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "errors.md")), @"^## (CTOH\d{3})$", RegexOptions.Multiline)
        .Select(m => m.Groups[1].Value).ToHashSet();

    [Fact]
    public void Every_failure_kind_is_documented()
    {
        Assert.All(FailureKind.All, kind => Assert.Contains(kind.Code, Documented));
    }

    [Fact]
    public void Every_code_in_the_sources_and_targets_is_documented()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs") || f.EndsWith(".targets") || f.EndsWith(".props"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        var used = sources.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"CTOH\d{3}").Select(m => m.Value)).ToHashSet();

        Assert.NotEmpty(used);
        Assert.All(used, code => Assert.Contains(code, Documented));
    }
}
