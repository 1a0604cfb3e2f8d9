using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;

namespace CtoHarness.Reporting;

/// <summary>
/// What CI systems show of a set of runs: a Markdown table appended to GitHub's step summary (one row per pair, a
/// mark per attempt), and a JUnit XML file (one test case per pair, its attempts in the output) for any CI
/// test-report view. Both optional.
/// </summary>
public static class CiOutputs
{
    public static void AppendStepSummary(string path, IReadOnlyList<PairResult> pairs, string currency)
    {
        var text = new StringBuilder();
        text.AppendLine("### CtoHarness Stage 2").AppendLine();
        text.AppendLine("| fixture | lane | verdict | attempts | pass rate (95%) | reason | duration | model calls | tokens | cost | page (in the runs artifact) | evidence |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (summary, attempts) in pairs)
        {
            var traffic = attempts.Select(a => a.Report.Model.Traffic).OfType<ModelTraffic>().ToList();
            var reason = attempts.Count == 1 && summary.Attempts == 1 ? attempts[0].Report.FailureReason : summary.VerdictReason;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(summary.Fixture)} | {Cell(summary.Lane)} | {Verdict(summary, attempts)} | {Marks(summary, attempts)} | {summary.PassRateText()} | {Cell(reason ?? "")} " +
                $"| {attempts.Sum(a => a.Report.DurationMs) / 1000.0:F1} s | {(traffic.Count > 0 ? traffic.Sum(t => t.Calls).ToString(CultureInfo.InvariantCulture) : "—")} " +
                $"| {(traffic.Count > 0 ? traffic.Sum(t => t.TotalTokens).ToString(CultureInfo.InvariantCulture) : "—")} | {Cost(summary, attempts, currency)} " +
                $"| {string.Join("<br>", attempts.Select(a => $"`{Cell($"{a.Report.RunId}/{Pages.RunPage.FileName}")}`"))} | {string.Join("<br>", attempts.Select(a => $"`{Cell(a.EvidencePath)}`"))} |");
        }
        text.AppendLine();
        foreach (var unsandboxed in pairs.SelectMany(p => p.Attempts).Where(r => r.Report.Sandbox.Kind == "none"))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"> ⚠️ sandbox: none for `{Cell(unsandboxed.Report.RunId)}`: {Cell(unsandboxed.Report.Sandbox.Warning ?? "")}; its programs ran with the harness's own rights.");
        }
        File.AppendAllText(path, text.ToString());
    }

    public static void WriteJUnit(string path, IReadOnlyList<PairResult> pairs)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", "CtoHarness.Stage2"),
            new XAttribute("tests", pairs.Count),
            new XAttribute("failures", pairs.Count(p => p.Summary.Verdict != RunStatus.Pass && IsFailure(p))),
            new XAttribute("errors", pairs.Count(p => p.Summary.Verdict != RunStatus.Pass && !IsFailure(p))),
            new XAttribute("time", Seconds(pairs.Sum(p => p.Attempts.Sum(a => a.Report.DurationMs)))));
        foreach (var pair in pairs)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", $"CtoHarness.Stage2.{pair.Summary.Lane}"),
                new XAttribute("name", pair.Summary.Fixture),
                new XAttribute("time", Seconds(pair.Attempts.Sum(a => a.Report.DurationMs))),
                new XElement("system-out", string.Join("\n", pair.Attempts.Select(AttemptLine).Append(PairLine(pair.Summary)))));
            if (pair.Summary.Verdict != RunStatus.Pass)
            {
                var failed = pair.Attempts.FirstOrDefault(a => !a.Passed);
                var single = pair.Summary.Attempts == 1 && failed is not null;
                testCase.Add(new XElement(IsFailure(pair) ? "failure" : "error",
                    new XAttribute("type", single ? failed!.Report.ErrorCode ?? "" : PairVerdicts.Of(pair, path)?.Code ?? ""),
                    new XAttribute("message", single ? $"{failed!.Report.FailureReason}: {failed.Report.Message}" : pair.Summary.VerdictReason ?? ""),
                    $"evidence: {failed?.EvidencePath ?? "no attempt ran"}"));
            }
            suite.Add(testCase);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        JsonFiles.WriteAtomically(path, Encoding.UTF8.GetBytes(new XDocument(new XElement("testsuites", suite)).ToString() + "\n"));
    }

    /// <summary>A failure when some attempt failed on its merits; an error when the attempts were blocked, errored or never ran.</summary>
    private static bool IsFailure(PairResult pair) => pair.Attempts.Any(a => a.Report.Status == RunStatus.Fail);

    private static string AttemptLine(Stage2Result result)
    {
        var report = result.Report;
        var line = $"attempt {report.Attempt}/{report.Attempts}: {Name(report.Status)}{(report.FailureReason is { } reason ? $" ({reason}, {report.ErrorCode})" : "")}, report: {result.ReportPath}";
        return report.Model.Traffic is { } traffic
            ? line + $"\n  model calls: {traffic.Calls}, tokens: {traffic.TotalTokens} (prompt {traffic.PromptTokens}, completion {traffic.CompletionTokens})" +
              (report.Model.Cost is { } cost ? $", cost: {Money.Format(cost.Total)} {cost.Currency}" : ", cost: no price")
            : line;
    }

    private static string PairLine(SummaryPair pair) =>
        $"policy {pair.Policy}: {pair.AttemptsPassed} of {pair.Attempts} passed ({pair.AttemptsRun} run, {pair.AttemptsSaved} saved by early stop, {pair.AttemptsNotRunForBudget} not run for budget)";

    private static string Verdict(SummaryPair summary, IReadOnlyList<Stage2Result> attempts) =>
        summary.Verdict == RunStatus.Pass ? "✅ pass"
        : attempts.Count == 1 && summary.Attempts == 1 ? "❌ " + Name(attempts[0].Report.Status)
        : "❌ fail";

    private static string Marks(SummaryPair summary, IReadOnlyList<Stage2Result> attempts)
    {
        var marks = string.Join(" ", attempts.Select(a => $"{(a.Passed ? "✅" : "❌")}{a.Report.Attempt}"));
        var unrun = (summary.AttemptsSaved > 0 ? $" · {summary.AttemptsSaved} saved" : "") + (summary.AttemptsNotRunForBudget > 0 ? $" · {summary.AttemptsNotRunForBudget} not run (budget)" : "");
        return $"{marks}{unrun} ({summary.Policy})";
    }

    private static string Cost(SummaryPair pair, IReadOnlyList<Stage2Result> attempts, string currency) =>
        attempts.All(a => a.Report.Model.Traffic is null) ? "—" : Money.Format(pair.Cost, currency);

    private static string Seconds(long milliseconds) => (milliseconds / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
