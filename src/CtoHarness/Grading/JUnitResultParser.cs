using CtoHarness.Fixtures;
using System.Xml;
using System.Xml.Linq;

namespace CtoHarness.Grading;

/// <summary>Reads a JUnit XML results file (pytest, node --test, Surefire, …): one outcome per test case, <c>classname.name</c>.</summary>
public static class JUnitResultParser
{
    public const string FormatName = TestFormats.JUnit;

    /// <summary>Placeholder in a fixture's test command for the results file, which the harness keeps outside the workspace.</summary>
    public const string ResultsPlaceholder = TestFormats.ResultsPlaceholder;

    public static FormatResults Parse(string path)
    {
        var results = new List<ReportedResult>();
        var parsed = new FormatResults(results, "the JUnit results file");
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return parsed; // every test then counts as missing
        }
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (XmlException)
        {
            return parsed;
        }
        foreach (var testCase in document.Descendants("testcase"))
        {
            var name = (string?)testCase.Attribute("name") ?? "";
            var owner = (string?)testCase.Attribute("classname");
            var id = string.IsNullOrEmpty(owner) ? name : $"{owner}.{name}";
            var outcome = testCase.Element("failure") is not null ? TestOutcome.Failed
                : testCase.Element("error") is not null ? TestOutcome.Error
                : testCase.Element("skipped") is not null ? TestOutcome.Skipped
                : TestOutcome.Passed;
            results.Add(new ReportedResult(id, outcome));
        }
        return parsed;
    }
}
