using System.Text.RegularExpressions;
using CtoHarness.Contracts;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>
/// One registry of codes (Contracts/Diagnostics.cs): every code the package can report is in it and has its section in
/// docs/errors.md, where the help links point; code names diagnostics by field, never by number.
/// </summary>
[Trait("Layer", "Unit")]
public class ErrorCodeDocsTests
{
    private static readonly string ErrorsDoc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "errors.md"));

    private static readonly HashSet<string> Documented = Regex.Matches(ErrorsDoc, @"^## (CTOH\d{3})$", RegexOptions.Multiline)
        .Select(m => m.Groups[1].Value).ToHashSet();

    private static IEnumerable<string> Sources(params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => extensions.Any(f.EndsWith))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void The_registry_and_the_docs_hold_the_same_codes_once_each()
    {
        Assert.Equal(Diagnostics.All.Count, Diagnostics.All.Select(d => d.Code).Distinct().Count());
        Assert.Equal(Documented.Order(), Diagnostics.All.Select(d => d.Code).Order());
    }

    [Fact]
    public void Every_failure_kind_is_a_registered_error()
    {
        Assert.All(FailureKind.All, kind => Assert.Equal(DiagnosticSeverity.Error, Diagnostics.Of(kind.Code).Severity));
    }

    [Fact]
    public void Every_code_in_the_sources_and_targets_is_registered()
    {
        var used = Sources(".cs", ".targets", ".props").SelectMany(f => Regex.Matches(File.ReadAllText(f), @"CTOH\d{3}").Select(m => m.Value)).ToHashSet();

        Assert.NotEmpty(used);
        Assert.All(used, code => Assert.Contains(code, Diagnostics.All.Select(d => d.Code)));
    }

    [Fact]
    public void No_code_is_written_as_a_number_outside_the_registry()
    {
        var literals = Sources(".cs").Where(f => Path.GetFileName(f) != "Diagnostics.cs")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"CTOH\\d{3}\"").Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.True(literals.Count == 0, string.Join("\n", literals));
    }

    [Fact]
    public void Every_range_shows_its_next_free_code_in_the_docs_and_none_is_full()
    {
        foreach (var range in Diagnostics.Ranges)
        {
            Assert.Contains($"| CTOH{range.First:D3}-CTOH{range.Last:D3} | {range.Kind} | {range.NextFree} |", ErrorsDoc);
            Assert.True(int.Parse(range.NextFree[4..]) <= range.Last, $"the range of {range.Kind} is full");
        }
        Assert.All(Diagnostics.All, d => Assert.Single(Diagnostics.Ranges, r => r.Contains(d)));
    }
}
