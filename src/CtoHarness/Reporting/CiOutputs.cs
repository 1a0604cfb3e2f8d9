using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;

namespace CtoHarness.Reporting;

/// <summary>
/// What CI systems show of a set of runs: a Markdown table appended to GitHub's step summary, and a JUnit
/// XML file (one test case per run) for any CI test-report view. Both optional.
/// </summary>
public static class CiOutputs
{
    public static void AppendStepSummary(string path, IReadOnlyList<Stage2Result> results)
    {
        var text = new StringBuilder();
        text.AppendLine("### CtoHarness Stage 2").AppendLine();
        text.AppendLine("| fixture | lane | status | reason | duration | model calls | tokens | page (in the runs artifact) | evidence |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            var report = result.Report;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(report.Fixture.Id)} | {Cell(report.Lane)} | {(result.Passed ? "✅ pass" : "❌ " + Name(report.Status))} | {Cell(report.FailureReason ?? "")} " +
                $"| {report.DurationMs / 1000.0:F1} s | {Traffic(report)?.Calls.ToString(CultureInfo.InvariantCulture) ?? "—"} | {Traffic(report)?.TotalTokens.ToString(CultureInfo.InvariantCulture) ?? "—"} | `{Cell($"{report.RunId}/{Pages.RunPage.FileName}")}` | `{Cell(result.EvidencePath)}` |");
        }
        text.AppendLine();
        foreach (var unsandboxed in results.Where(r => r.Report.Sandbox.Kind == "none"))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"> ⚠️ sandbox: none for `{Cell(unsandboxed.Report.RunId)}`: {Cell(unsandboxed.Report.Sandbox.Warning ?? "")}; its programs ran with the harness's own rights.");
        }
        File.AppendAllText(path, text.ToString());
    }

    public static void WriteJUnit(string path, IReadOnlyList<Stage2Result> results)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", "CtoHarness.Stage2"),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => r.Report.Status == RunStatus.Fail)),
            new XAttribute("errors", results.Count(r => r.Report.Status is RunStatus.Blocked or RunStatus.Error or RunStatus.Cancelled)),
            new XAttribute("time", Seconds(results.Sum(r => r.Report.DurationMs))));
        foreach (var result in results)
        {
            var report = result.Report;
            var testCase = new XElement("testcase",
                new XAttribute("classname", $"CtoHarness.Stage2.{report.Lane}"),
                new XAttribute("name", report.Fixture.Id),
                new XAttribute("time", Seconds(report.DurationMs)),
                new XElement("system-out", $"report: {result.ReportPath}" +
                    (Traffic(report) is { } traffic ? $"\nmodel calls: {traffic.Calls}, tokens: {traffic.TotalTokens} (prompt {traffic.PromptTokens}, completion {traffic.CompletionTokens})" : "")));
            if (!result.Passed)
            {
                testCase.Add(new XElement(report.Status == RunStatus.Fail ? "failure" : "error",
                    new XAttribute("type", report.ErrorCode ?? ""),
                    new XAttribute("message", $"{report.FailureReason}: {report.Message}"),
                    $"evidence: {result.EvidencePath}"));
            }
            suite.Add(testCase);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        JsonFiles.WriteAtomically(path, Encoding.UTF8.GetBytes(new XDocument(new XElement("testsuites", suite)).ToString() + "\n"));
    }

    private static Contracts.ModelTraffic? Traffic(Stage2Report report) => report.Model.Traffic;

    private static string Seconds(long milliseconds) => (milliseconds / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
