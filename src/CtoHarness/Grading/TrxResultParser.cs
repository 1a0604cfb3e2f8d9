using CtoHarness.Fixtures;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CtoHarness.Grading;

/// <summary>
/// Reads a Visual Studio test results file (<c>dotnet test --logger "trx;LogFileName={results}"</c>): one outcome per
/// <c>UnitTestResult</c>, its id the fully qualified test name as the file gives it (theory cases with their
/// arguments), and the run's own verdict (<c>ResultSummary outcome</c>). When there is no file, the test build
/// probably failed: the compiler's first errors are taken from the output for the report.
/// </summary>
public static partial class TrxResultParser
{
    public const string FormatName = TestFormats.Trx;
    private const int MaxCompilerErrors = 5;

    [GeneratedRegex(@"^.*?: error [A-Z]+\d+: .*$", RegexOptions.Multiline)]
    private static partial Regex CompilerError();

    public static FormatResults Parse(string path, string output)
    {
        var results = new List<ReportedResult>();
        XDocument? document = null;
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length > 0)
            {
                document = XDocument.Load(path);
            }
        }
        catch (XmlException)
        {
            document = null;
        }
        if (document is null)
        {
            return new FormatResults(results, "the TRX results file")
            {
                BuildErrors = [.. CompilerError().Matches(output).Select(m => m.Value.Trim()).Distinct().Take(MaxCompilerErrors)],
            };
        }
        foreach (var result in document.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            var name = (string?)result.Attribute("testName") ?? "";
            results.Add(new ReportedResult(name, (string?)result.Attribute("outcome") switch
            {
                "Passed" => TestOutcome.Passed,
                "Failed" => TestOutcome.Failed,
                "NotExecuted" or "Inconclusive" => TestOutcome.Skipped,
                _ => TestOutcome.Error,
            }));
        }
        var summary = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "ResultSummary");
        return new FormatResults(results, "the TRX results file")
        {
            HasSummary = summary is not null,
            SummarySaysPassed = (string?)summary?.Attribute("outcome") switch
            {
                "Completed" or "Passed" => true,
                "Failed" => false,
                _ => null,
            },
        };
    }
}
