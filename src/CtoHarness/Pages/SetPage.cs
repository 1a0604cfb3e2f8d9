using System.Globalization;
using System.Text;
using CtoHarness.Contracts;

namespace CtoHarness.Pages;

/// <summary>index.html beside summary.json: one row per run of the set, linking to its report.html.</summary>
public static class SetPage
{
    public const string FileName = "index.html";

    public static string Write(RunSummary summary, string summaryPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(summaryPath))!;
        var path = Path.Combine(directory, Path.GetFileNameWithoutExtension(summaryPath) is var stem && stem.StartsWith("summary-", StringComparison.Ordinal)
            ? $"index-{stem["summary-".Length..]}.html"
            : FileName);
        var totals = summary.Totals;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"<h1>CtoHarness Stage 2: {totals.Runs} run(s)</h1>\n<div class=\"banner {(totals.Passed == totals.Runs ? "pass" : "fail")}\">" +
            $"{totals.Passed} passed ({totals.Resumed} resumed), {totals.Failed} failed, {totals.Blocked} blocked, {totals.Errors} error(s), {totals.Cancelled} cancelled" +
            $"<br><span class=\"muted\">{Html.Text(summary.CreatedAt.ToString("u", CultureInfo.InvariantCulture))} · <a href=\"{Html.Href(Path.GetFileName(summaryPath))}\">{Html.Text(Path.GetFileName(summaryPath))}</a></span></div>\n");
        body.Append("<table><tr><th>fixture</th><th>lane</th><th>status</th><th>reason</th><th>code</th><th>duration</th><th>model calls</th><th>tokens</th><th>run</th></tr>\n");
        foreach (var run in summary.Runs)
        {
            var page = Path.Combine(Path.GetDirectoryName(run.ReportPath)!, RunPage.FileName);
            var link = Path.GetRelativePath(directory, page).Replace('\\', '/');
            var status = run.Status.ToString().ToLowerInvariant();
            body.Append(CultureInfo.InvariantCulture,
                $"<tr class=\"{(status == "pass" ? "add" : "del")}\"><td>{Html.Text(run.Fixture)}</td><td>{Html.Text(run.Lane)}</td><td>{Html.Text(status)}{(run.Resumed ? " (resumed)" : "")}</td>" +
                $"<td>{Html.Text(run.FailureReason ?? "")}</td><td>{Html.Text(run.ErrorCode ?? "")}</td><td>{run.DurationMs / 1000.0:F1} s</td>" +
                $"<td>{run.ModelCalls?.ToString(CultureInfo.InvariantCulture) ?? "—"}</td><td>{run.ModelTokens?.ToString(CultureInfo.InvariantCulture) ?? "—"}</td>" +
                $"<td>{(link.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(link) ? Html.Text(page) : $"<a href=\"{Html.Href(link)}\">{Html.Text(link)}</a>")}</td></tr>\n");
        }
        body.Append("</table>\n");
        File.WriteAllText(path, Html.Page("CtoHarness Stage 2 runs", body.ToString()));
        return path;
    }
}
