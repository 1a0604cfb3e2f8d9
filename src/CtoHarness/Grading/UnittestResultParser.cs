using System.Text.RegularExpressions;

namespace CtoHarness.Grading;

/// <summary>Reads the per-test lines of <c>python -m unittest -v</c>.</summary>
public static partial class UnittestResultParser
{
    public const string FormatName = "unittest-verbose";

    // "test_x (module.Class.test_x) ... ok" (3.11+) or "test_x (module.Class) ... ok" (3.10 and older).
    [GeneratedRegex(@"^(?<name>\w+) \((?<owner>[\w.]+)\)(?:\n.*?)? \.\.\. (?<status>ok|FAIL|ERROR|skipped|expected failure|unexpected success)", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    public static Dictionary<string, string> Parse(string output)
    {
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in ResultLine().Matches(output.Replace("\r\n", "\n")))
        {
            var name = match.Groups["name"].Value;
            var owner = match.Groups["owner"].Value;
            var id = owner.EndsWith("." + name, StringComparison.Ordinal) ? owner : $"{owner}.{name}";
            results[id] = match.Groups["status"].Value switch
            {
                "ok" or "expected failure" => TestOutcome.Passed,
                "FAIL" or "unexpected success" => TestOutcome.Failed,
                "ERROR" => TestOutcome.Error,
                _ => TestOutcome.Skipped,
            };
        }
        return results;
    }
}
