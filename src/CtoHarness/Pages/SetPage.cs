using System.Globalization;
using System.Text;
using CtoHarness.Contracts;

namespace CtoHarness.Pages;

/// <summary>
/// index.html beside summary.json: one row per (fixture, lane) pair of the set, its verdict under the pass policy, one
/// mark per attempt linking to that attempt's report.html, the pass rate with its interval, and what it cost.
/// </summary>
public static class SetPage
{
    public const string FileName = "index.html";

    public static string Write(RunSummary summary, string summaryPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(summaryPath))!;
        var path = Path.Combine(directory, Path.GetFileNameWithoutExtension(summaryPath) is var stem && stem.StartsWith("summary-", StringComparison.Ordinal)
            ? $"index-{stem["summary-".Length..]}.html"
            : FileName);
        var pairs = summary.PairsOrDerived();
        var totals = summary.Totals;
        var passed = pairs.Count(p => p.Verdict == RunStatus.Pass);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"<h1>CtoHarness Stage 2: {pairs.Count} pair(s), {totals.Runs} run(s)</h1>\n<div class=\"banner {(passed == pairs.Count ? "pass" : "fail")}\">" +
            $"{passed} of {pairs.Count} pair(s) passed their policy · runs: {totals.Passed} passed ({totals.Resumed} resumed), {totals.Failed} failed, {totals.Blocked} blocked, {totals.Errors} error(s), {totals.Cancelled} cancelled" +
            $" · {totals.AttemptsSaved} attempt(s) saved by early stop, {totals.AttemptsNotRunForBudget} not run for budget · model cost: {Html.Text(summary.CostText())}" +
            $"<br><span class=\"muted\">{Html.Text(summary.CreatedAt.ToString("u", CultureInfo.InvariantCulture))} · <a href=\"{Html.Href(Path.GetFileName(summaryPath))}\">{Html.Text(Path.GetFileName(summaryPath))}</a></span></div>\n");
        body.Append("<table><tr><th>fixture</th><th>lane</th><th>verdict</th><th>attempts</th><th>pass rate (95%)</th><th>reason</th><th>duration</th><th>model calls</th><th>tokens</th><th>cost</th></tr>\n");
        foreach (var pair in pairs)
        {
            var runs = summary.Runs.Where(r => r.PairKey == pair.PairKey).OrderBy(r => r.Attempt).ToList();
            var reason = pair.VerdictReason ?? "";
            body.Append(CultureInfo.InvariantCulture,
                $"<tr class=\"{(pair.Verdict == RunStatus.Pass ? "add" : "del")}\"><td>{Html.Text(pair.Fixture)}</td><td>{Html.Text(pair.Lane)}</td>" +
                $"<td>{Html.Text(pair.Verdict == RunStatus.Pass ? "pass" : "fail")}{(pair.Resumed ? " (resumed)" : "")}</td>" +
                $"<td>{Marks(pair, runs, directory)}</td><td>{Html.Text(pair.PassRateText())}</td><td>{Html.Text(reason)}</td>" +
                $"<td>{runs.Sum(r => r.DurationMs) / 1000.0:F1} s</td><td>{Sum(runs.Select(r => (long?)r.ModelCalls))}</td><td>{Sum(runs.Select(r => r.ModelTokens))}</td>" +
                $"<td>{Html.Text(runs.All(r => r.ModelCalls is null) ? "—" : Money.Format(pair.Cost, summary.Currency))}</td></tr>\n");
        }
        body.Append("</table>\n");
        File.WriteAllText(path, Html.Page("CtoHarness Stage 2 runs", body.ToString()));
        return path;
    }

    /// <summary>One mark per attempt that ran, linking to its page (its status and reason as the title), then the attempts not started.</summary>
    private static string Marks(SummaryPair pair, IReadOnlyList<SummaryRun> runs, string directory)
    {
        var marks = new StringBuilder();
        foreach (var run in runs)
        {
            var page = Path.Combine(Path.GetDirectoryName(run.ReportPath)!, RunPage.FileName);
            var link = Path.GetRelativePath(directory, page).Replace('\\', '/');
            var status = run.Status.ToString().ToLowerInvariant();
            var title = $"attempt {run.Attempt}: {status}{(run.FailureReason is { } r ? $", {r} ({run.ErrorCode})" : "")}";
            var mark = $"{(run.Status == RunStatus.Pass ? "✔" : "✘")}{run.Attempt}";
            marks.Append(link.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(link)
                ? $"<span class=\"attempt {status}\" title=\"{Html.Text(title + " · " + page)}\">{mark}</span> "
                : $"<a class=\"attempt {status}\" title=\"{Html.Text(title)}\" href=\"{Html.Href(link)}\">{mark}</a> ");
        }
        if (pair.AttemptsSaved > 0)
        {
            marks.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">· {pair.AttemptsSaved} saved</span> ");
        }
        if (pair.AttemptsNotRunForBudget > 0)
        {
            marks.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">· {pair.AttemptsNotRunForBudget} not run (budget)</span> ");
        }
        return marks.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">({Html.Text(pair.Policy)})</span>").ToString();
    }

    private static string Sum(IEnumerable<long?> values)
    {
        var known = values.OfType<long>().ToList();
        return known.Count == 0 ? "—" : known.Sum().ToString(CultureInfo.InvariantCulture);
    }
}
