using System.Text.RegularExpressions;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Architecture;

/// <summary>No method of the shipped code is over 60 lines: a longer one is several steps that want names.</summary>
[Trait("Layer", "Unit")]
public partial class MethodLengthTests
{
    private const int MaxLines = 60;

    [GeneratedRegex(@"^\s+(?:\[[^\]]*\]\s*)*(?:(?:public|private|internal|protected|static|override|virtual|abstract|async|sealed|new|unsafe|extern|partial|readonly)\s+)+[\w<>\[\]?,. ()]*?\b(\w+)\s*(?:<[^>]*>)?\s*\(")]
    private static partial Regex CSharpMember();

    [GeneratedRegex(@"^(\s*)def (\w+)\(")]
    private static partial Regex PythonFunction();

    [Fact]
    public void No_method_in_src_is_over_60_lines()
    {
        var sources = Path.Combine(TestPaths.RepoRoot, "src");
        var files = Directory.EnumerateFiles(sources, "*.*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var tooLong = files.SelectMany(f => f.EndsWith(".cs") ? CSharpMethods(f) : f.EndsWith(".py") ? PythonFunctions(f) : [])
            .Where(m => m.Lines > MaxLines)
            .Select(m => $"{Path.GetRelativePath(sources, m.File)}:{m.Line} {m.Name} is {m.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    [Fact]
    public void The_measure_counts_a_method_from_its_declaration_to_its_closing_brace()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("Sample.cs");
        File.WriteAllLines(file, ["class Sample", "{", "    public int Short() => 1;", "", "    private static void Long(string a)", "    {",
            .. Enumerable.Repeat("        var s = \"}\"; // }", 70), "    }", "}"]);
        var python = temp.Combine("sample.py");
        File.WriteAllLines(python, ["def short():", "    return 1", "", "def long():", .. Enumerable.Repeat("    x = 1", 3), "", "    return x", "", "y = 2"]);

        Assert.Equal([("Short", 1), ("Long", 73)], CSharpMethods(file).Select(m => (m.Name, m.Lines)));
        Assert.Equal([("short", 2), ("long", 6)], PythonFunctions(python).Select(m => (m.Name, m.Lines)));
    }

    private sealed record Method(string File, int Line, string Name, int Lines);

    /// <summary>Each member with a body, from its declaration to where its braces (or parentheses) close.</summary>
    private static IEnumerable<Method> CSharpMethods(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = CSharpMember().Match(lines[i]);
            if (!match.Success || Regex.IsMatch(lines[i], @"\b(class|record|struct|interface|enum)\b"))
            {
                continue;
            }
            var end = EndOf(lines, i);
            yield return new Method(file, i + 1, match.Groups[1].Value, end - i + 1);
            i = end;
        }
    }

    private static int EndOf(string[] lines, int start)
    {
        var depth = 0;
        var opened = false;
        for (var j = start; j < lines.Length; j++)
        {
            var code = Regex.Replace(Regex.Replace(Regex.Replace(lines[j], "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""), @"'(?:[^'\\]|\\.)'", "''"), "//.*", "");
            foreach (var c in code)
            {
                depth += c is '{' or '(' ? 1 : c is '}' or ')' ? -1 : 0;
                opened |= c is '{' or '(';
            }
            var trimmed = code.TrimEnd();
            if (opened && depth == 0 && (trimmed.EndsWith('}') || trimmed.EndsWith(';')))
            {
                return j;
            }
        }
        return lines.Length - 1;
    }

    /// <summary>Each function, from its <c>def</c> to its last line indented below it.</summary>
    private static IEnumerable<Method> PythonFunctions(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = PythonFunction().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }
            var indent = match.Groups[1].Value.Length;
            var last = i;
            for (var j = i + 1; j < lines.Length; j++)
            {
                if (lines[j].Trim().Length == 0)
                {
                    continue;
                }
                if (lines[j].Length - lines[j].TrimStart().Length <= indent)
                {
                    break;
                }
                last = j;
            }
            yield return new Method(file, i + 1, match.Groups[2].Value, last - i + 1);
        }
    }
}
