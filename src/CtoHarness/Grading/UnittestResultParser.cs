using CtoHarness.Fixtures;
using System.Text.RegularExpressions;

namespace CtoHarness.Grading;

/// <summary>Reads the per-test lines and the final summary line of <c>python -m unittest -v</c>.</summary>
public static partial class UnittestResultParser
{
    public const string FormatName = TestFormats.Unittest;

    // "test_x (module.Class.test_x) ... ok" (3.11+) or "test_x (module.Class) ... ok" (3.10 and older).
    [GeneratedRegex(@"^(?<name>\w+) \((?<owner>[\w.]+)\)(?:\n.*?)? \.\.\. (?<status>ok|FAIL|ERROR|skipped|expected failure|unexpected success)", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    // The last line unittest prints: "OK", "OK (skipped=1)", "FAILED (failures=4)".
    [GeneratedRegex(@"^(?<verdict>OK|FAILED)( \(.*\))?$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    public static FormatResults Parse(string output)
    {
        output = output.Replace("\r\n", "\n");
        var results = new List<ReportedResult>();
        foreach (Match match in ResultLine().Matches(output))
        {
            var name = match.Groups["name"].Value;
            var owner = match.Groups["owner"].Value;
            var id = owner.EndsWith("." + name, StringComparison.Ordinal) ? owner : $"{owner}.{name}";
            results.Add(new ReportedResult(id, match.Groups["status"].Value switch
            {
                "ok" or "expected failure" => TestOutcome.Passed,
                "FAIL" or "unexpected success" => TestOutcome.Failed,
                "ERROR" => TestOutcome.Error,
                _ => TestOutcome.Skipped,
            }));
        }
        var summaries = SummaryLine().Matches(output);
        return new FormatResults(results, "the test output")
        {
            HasSummary = true,
            SummarySaysPassed = summaries.Count == 0 ? null : summaries[^1].Groups["verdict"].Value == "OK",
        };
    }
}
