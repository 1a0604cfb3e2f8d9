using System.Globalization;
using System.Text;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Protocol;

namespace CtoHarness.Pages;

/// <summary>
/// report.html: one self-contained page per run (no script, no network: it works from file:// and from an
/// unzipped CI artifact): the verdict and its marker, the admission facts, the agent timeline, the model
/// transcript, the change as a diff, the tests, and the evidence manifest with links to every raw file.
/// Written from report.json and the evidence, on every path, after the report.
/// </summary>
public static class RunPage
{
    public const string FileName = RunDirectory.PageFileName;
    private const int MaxTextChars = 20_000;
    private const int MaxPatchBytes = 256 * 1024;

    public static string Write(Stage2Report report, string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        var title = $"CtoHarness run {report.RunId}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{Html.Text(title)}</h1>\n");
        var transcript = report.Model.Traffic is { } traffic ? Transcript.Read(runDirectory, traffic.ExchangesLog) : [];
        Verdict(body, report, runDirectory, transcript);
        Admission(body, report);
        Timeline(body, transcript);
        Conversation(body, transcript, report);
        CaseLog.Render(body, runDirectory, report.Backend.StdoutLog, report.Backend.StderrLog, MaxTextChars);
        Change(body, report, runDirectory);
        Tests(body, report);
        Manifest(body, report);
        Evidence.SafeFiles.WriteNew(path, Html.Page(title, body.ToString()));
        return path;
    }

    private static void Verdict(StringBuilder body, Stage2Report report, string runDirectory, List<TranscriptCall> transcript)
    {
        var status = report.Status.ToString().ToLowerInvariant();
        body.Append(CultureInfo.InvariantCulture, $"<div class=\"banner {status}\"><strong>{Html.Text(status.ToUpperInvariant())}</strong>");
        if (report.FailureReason is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $" · {Html.Text(report.FailureReason)} · <code>{Html.Text(report.ErrorCode)}</code>");
        }
        body.Append(CultureInfo.InvariantCulture, $"<br>{Html.Text(report.Message)}");
        if (report.ErrorCode is { } code && Diagnostics.All.FirstOrDefault(d => d.Code == code) is { } diagnostic)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<br><strong>Next:</strong> {Html.Text(diagnostic.NextStep ?? diagnostic.Title)} <a href=\"{Html.Text(diagnostic.DocsUrl)}\">docs/errors.md#{Html.Text(diagnostic.Anchor)}</a>");
        }
        if (transcript.FirstOrDefault(c => c.Exchange.TransportError is not null || c.Exchange.Status >= 400) is { } failing)
        {
            body.Append(CultureInfo.InvariantCulture, $"<br>The first failing model call: <a href=\"#call-{failing.Exchange.Sequence}\">call {failing.Exchange.Sequence}</a> ({Html.Text(failing.Exchange.Agent)})");
        }
        body.Append(CultureInfo.InvariantCulture, $"<br><span class=\"muted\">fixture {Html.Text(report.Fixture.Id)} · lane {Html.Text(report.Lane)} · {report.DurationMs} ms · {Html.Text(report.StartedAt.ToString("u", CultureInfo.InvariantCulture))}</span></div>\n");
        if (report.Sandbox.Kind == "none")
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"flag\">Warning: sandbox: none. {Html.Text(report.Sandbox.Warning)}; the run's programs ran with the harness's own rights.</p>\n");
        }
        foreach (var marker in report.Markers)
        {
            var file = Path.Combine(runDirectory, marker);
            var text = Html.ReadEvidence(file);
            body.Append(CultureInfo.InvariantCulture, $"<p>Marker <a href=\"{Html.Href(marker)}\"><code>{Html.Text(marker)}</code></a></p><pre>{Html.Text(Html.Capped(text, MaxTextChars))}</pre>\n");
        }
    }

    private static void Admission(StringBuilder body, Stage2Report report)
    {
        body.Append("<h2>Provider and model</h2>\n<table>\n");
        Row(body, "lane", report.Attempts > 1 ? $"{report.Lane}, attempt {report.Attempt} of {report.Attempts}" : report.Lane);
        Row(body, "provider binary", $"{report.Provider.Sha256} ({report.Provider.Size} bytes), {report.Provider.Verification}");
        Row(body, "source", $"{report.Provider.SourceRepository} @ {report.Provider.SourceCommit}");
        Row(body, "requested model", report.Model.Requested?.ToString());
        Row(body, "configured model", report.Model.Configured?.ToString());
        Row(body, "upstream", report.Model.Upstream ?? report.Model.Traffic?.Upstream ?? report.Model.BaseUrl);
        if (report.Model.Traffic is { } traffic)
        {
            Row(body, "model traffic", $"{traffic.Calls} calls, {traffic.PromptTokens} prompt ({traffic.CachedTokens} cached) + {traffic.CompletionTokens} completion tokens, {traffic.Errors} errors{(traffic.FirstError is null ? "" : $" (first: {traffic.FirstError})")}");
            Row(body, "model cost", report.Model.Cost is { } cost
                ? $"{Money.Format(cost.Total)} {cost.Currency} ({string.Join(", ", cost.PerAgent.Select(a => $"{a.Key} {Money.Format(a.Value)}"))}) at {Money.Format(cost.InputPerMTok)} input, " +
                  $"{(cost.CachedInputPerMTok is { } cached ? $"{Money.Format(cached)} cached input, " : "")}{Money.Format(cost.OutputPerMTok)} output per million tokens"
                : "no price (the pair's CtoHarnessAdmittedModel item declares none)");
        }
        Row(body, "sandbox", SandboxLine(report.Sandbox));
        Row(body, "Case", $"profile {report.Backend.Profile ?? "-"}, outcome {report.Backend.Outcome ?? "-"}, exit code {report.Backend.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}, {report.Backend.DurationMs} ms, {report.Backend.ProcessesReaped} processes reaped");
        body.Append("</table>\n");
    }

    /// <summary>One line: the kind, the limits, and as whom each program ran; or, with no sandbox, the warning.</summary>
    public static string SandboxLine(SandboxSection sandbox)
    {
        if (sandbox.Kind == "none")
        {
            return $"none: {sandbox.Warning ?? "no sandbox"} (the run's programs had the harness's own rights)";
        }
        var limits = sandbox.Limits is { } l ? $"; limits: {l.Processes} processes, {l.MemoryBytes >> 20} MiB memory, {l.FileBytes >> 20} MiB per file, {l.DiskBytes >> 20} MiB on disk" : "";
        var programs = string.Join(", ", sandbox.Programs.Select(p => $"{p.Program} as uid {p.Uid}{(p.SeparateUser ? "" : " (harness uid, own user namespace)")}, network {p.Network}"));
        return $"{sandbox.Kind}{limits}; {programs}";
    }

    private static void Timeline(StringBuilder body, List<TranscriptCall> calls)
    {
        if (calls.Count == 0)
        {
            return;
        }
        body.Append("<h2>Agent timeline</h2>\n<table><tr><th>agent</th><th>calls</th><th>tokens</th><th>duration</th><th></th></tr>\n");
        var start = calls[0].Exchange.StartedAt;
        var total = Math.Max(1, (calls[^1].Exchange.EndedAt ?? calls[^1].Exchange.StartedAt).Subtract(start).TotalMilliseconds);
        foreach (var phase in Phases(calls))
        {
            var from = phase[0].Exchange.StartedAt;
            var to = phase[^1].Exchange.EndedAt ?? phase[^1].Exchange.StartedAt;
            var tokens = phase.Sum(c => c.Exchange.Tokens);
            var offset = (int)(300 * (from - start).TotalMilliseconds / total);
            var width = Math.Max(2, (int)(300 * (to - from).TotalMilliseconds / total));
            body.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html.Text(phase[0].Exchange.Agent)}</td><td>{phase.Count}</td><td>{tokens}</td><td>{(to - from).TotalMilliseconds:F0} ms</td>" +
                $"<td><span style=\"display:inline-block;width:{offset}px\"></span><span class=\"bar\" style=\"width:{width}px\"></span></td></tr>\n");
        }
        body.Append("</table>\n");
    }

    /// <summary>Consecutive calls of one agent form a phase.</summary>
    private static List<List<TranscriptCall>> Phases(List<TranscriptCall> calls)
    {
        var phases = new List<List<TranscriptCall>>();
        foreach (var call in calls)
        {
            if (phases.Count == 0 || phases[^1][0].Exchange.Agent != call.Exchange.Agent)
            {
                phases.Add([]);
            }
            phases[^1].Add(call);
        }
        return phases;
    }

    private static void Conversation(StringBuilder body, List<TranscriptCall> calls, Stage2Report report)
    {
        body.Append("<h2>Model transcript</h2>\n");
        if (calls.Count == 0)
        {
            body.Append(report.Model.Traffic is null
                ? "<p class=\"muted\">No relay ran for this run (the fake lane, or stopped before Case): Case's log below shows what the agent did.</p>\n"
                : "<p class=\"muted\">No model call was made.</p>\n");
            return;
        }
        var exchangesDirectory = Path.GetDirectoryName(report.Model.Traffic!.ExchangesLog)!.Replace('\\', '/');
        foreach (var phase in Phases(calls))
        {
            body.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Text(phase[0].Exchange.Agent)}</h3>\n");
            foreach (var call in phase)
            {
                var exchange = call.Exchange;
                var status = exchange.TransportError is { } error ? $"<span class=\"flag\">{Html.Text(error)}</span>" : $"HTTP {exchange.Status}";
                body.Append(CultureInfo.InvariantCulture,
                    $"<details open id=\"call-{exchange.Sequence}\"><summary>call {exchange.Sequence} · {status} · {exchange.PromptTokens ?? 0}+{exchange.CompletionTokens ?? 0} tokens · {exchange.LastByteMs ?? 0} ms · " +
                    $"<a href=\"{Html.Href($"{exchangesDirectory}/{exchange.RequestBody}")}\">request</a> · <a href=\"{Html.Href($"{exchangesDirectory}/{exchange.ResponseBody}")}\">response</a></summary>\n");
                foreach (var (role, text) in call.Inputs)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<details><summary class=\"muted\">{Html.Text(role)} ({text.Length} characters)</summary><pre>{Html.Text(Html.Capped(text, MaxTextChars))}</pre></details>\n");
                }
                Answer(body, call);
                body.Append("</details>\n");
            }
        }
    }

    private static void Answer(StringBuilder body, TranscriptCall call)
    {
        var text = call.Answer;
        if (ResultBlock.Find(text) is { } block)
        {
            var (start, end) = (block.Start.Value, block.End.Value);
            if (start > 0)
            {
                body.Append(CultureInfo.InvariantCulture, $"<pre>{Html.Text(Html.Capped(text[..start], MaxTextChars))}</pre>");
            }
            body.Append(CultureInfo.InvariantCulture, $"<p>AGENT_RESULT block{(call.Exchange.ResultBlock == true ? "" : " <span class=\"flag\">(not valid)</span>")}:</p><pre class=\"result\">{Html.Text(Html.Capped(text[start..end], MaxTextChars))}</pre>");
        }
        else if (text.Length > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<pre>{Html.Text(Html.Capped(text, MaxTextChars))}</pre>");
        }
        if (call.Exchange.ResultBlock == false)
        {
            body.Append("<p class=\"flag\">No valid AGENT_RESULT block in this answer.</p>");
        }
        foreach (var (name, arguments) in call.ToolCalls)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>tool call <code>{Html.Text(name)}</code></p><pre>{Html.Text(Html.Capped(Readable(arguments), MaxTextChars))}</pre>");
        }
        body.Append('\n');
    }

    /// <summary>Tool arguments as a person reads them: JSON re-indented, strings unescaped where possible.</summary>
    private static string Readable(string arguments)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(arguments) is System.Text.Json.Nodes.JsonObject json
                ? string.Join("\n", json.Select(p => $"{p.Key}: {(p.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString())}"))
                : arguments;
        }
        catch (System.Text.Json.JsonException)
        {
            return arguments;
        }
    }

    private static void Change(StringBuilder body, Stage2Report report, string runDirectory)
    {
        body.Append("<h2>Change</h2>\n");
        if (report.Changes.PatchPath is not { } patchPath || !Html.IsReadable(Path.Combine(runDirectory, patchPath)))
        {
            body.Append("<p class=\"muted\">No change was collected.</p>\n");
            return;
        }
        body.Append(CultureInfo.InvariantCulture, $"<p>{report.Changes.Files.Count} file(s): {Html.Text(string.Join(", ", report.Changes.Files))} · <a href=\"{Html.Href(patchPath)}\">changes.patch</a></p>\n<pre>");
        using var reader = new StreamReader(Path.Combine(runDirectory, patchPath));
        var buffer = new char[MaxPatchBytes];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        foreach (var line in new string(buffer, 0, read).Split('\n'))
        {
            var css = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "hunk"
                : line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith("@@", StringComparison.Ordinal) ? "hunk" : null;
            body.Append(css is null ? Html.Text(line) : $"<span class=\"{css}\">{Html.Text(line)}</span>").Append('\n');
        }
        body.Append(reader.EndOfStream ? "" : "… (the rest is in changes.patch)\n").Append("</pre>\n");
        if (report.Changes.TamperedPaths.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"flag\">Tampered: {Html.Text(string.Join(", ", report.Changes.TamperedPaths))}</p>\n");
        }
    }

    private static void Tests(StringBuilder body, Stage2Report report)
    {
        body.Append("<h2>Tests</h2>\n<table><tr><th>test</th><th>kind</th><th>baseline</th><th>final</th></tr>\n");
        var final = report.Tests.Final?.Results.ToDictionary(r => r.Id, r => r.Outcome);
        foreach (var result in report.Tests.Baseline?.Results ?? [])
        {
            // Never a bare "-": a final run that did not happen says so, and a test its results lack is missing.
            var after = final is null ? "not run" : final.GetValueOrDefault(result.Id, "missing");
            var css = after == "passed" ? "add" : after == "not run" ? "" : "del";
            body.Append(CultureInfo.InvariantCulture,
                $"<tr><td><code>{Html.Text(result.Id)}</code></td><td>{Html.Text(result.Kind)}</td><td>{Html.Text(result.Outcome)}</td><td class=\"{css}\">{Html.Text(after)}</td></tr>\n");
        }
        body.Append("</table>\n");
        if (report.Tests.Baseline?.Reused is { } reused)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<p class=\"muted\">Baseline: not run again; the record of run <code>{Html.Text(reused.RunId)}</code> ({Html.Text(reused.RecordedAt.ToString("u", CultureInfo.InvariantCulture))}) with the same fixture, harness, test program and environment, its logs copied into this run.</p>\n");
        }
        if (report.Tests.Baseline is not null && report.Tests.Final is null)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<p class=\"muted\">Final: not run. The tests are run again only when nothing failed before them; this run ended {Html.Text(report.FailureReason ?? "before them")}.</p>\n");
        }
        foreach (var disagreement in report.Tests.Final?.Disagreements ?? [])
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"flag\">{Html.Text(disagreement)}</p>\n");
        }
    }

    private static void Manifest(StringBuilder body, Stage2Report report)
    {
        body.Append("<h2>Evidence</h2>\n<p><a href=\"report.json\">report.json</a> · <a href=\"report.json.sha256\">report.json.sha256</a></p>\n");
        body.Append(CultureInfo.InvariantCulture, $"<details><summary>{report.Evidence.Count} files</summary><table><tr><th>file</th><th>SHA-256</th><th>bytes</th></tr>\n");
        foreach (var file in report.Evidence)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"{Html.Href(file.Path)}\">{Html.Text(file.Path)}</a></td><td><code>{Html.Text(file.Kind ?? file.Sha256)}</code></td><td>{file.Size}</td></tr>\n");
        }
        body.Append("</table></details>\n");
    }

    private static void Row(StringBuilder body, string name, string? value) =>
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Html.Text(name)}</th><td>{Html.Text(value ?? "-")}</td></tr>\n");
}
