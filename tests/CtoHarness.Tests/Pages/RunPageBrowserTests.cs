using System.Diagnostics;
using System.Text.RegularExpressions;
using CtoHarness.Contracts;
using CtoHarness.Pages;
using CtoHarness.ScriptedModel;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Pages;

/// <summary>
/// The run pages in a real browser (headless Chromium, Debian's package; .ci/run installs it): each page renders
/// its verdict, transcript and diff from a file:// URL, also copied elsewhere; what the model wrote stays text.
/// Screenshots are kept under artifacts/TestResults/pages/.
/// </summary>
[Trait("Layer", "Browser")]
public sealed partial class RunPageBrowserTests : IDisposable
{
    private static readonly string Screenshots = Path.Combine(TestPaths.RepoRoot, "artifacts", "TestResults", "pages");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex("<title>(?<title>[^<]*)</title>")]
    private static partial Regex Title();

    private static string Chromium()
    {
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("no Chromium on this machine: the page tests need Debian's chromium package (bash .ci/run installs it)");
    }

    /// <summary>The DOM after the browser loaded the page, and a screenshot of it.</summary>
    private static string Render(string page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        Browser(["--window-size=1280,2400", $"--screenshot={Path.Combine(Screenshots, name + ".png")}", new Uri(page).AbsoluteUri]);
        Assert.True(new FileInfo(Path.Combine(Screenshots, name + ".png")).Length > 10_000, "the screenshot is empty");
        return Browser(["--dump-dom", new Uri(page).AbsoluteUri]);
    }

    private static string Browser(string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={Path.Combine(Path.GetTempPath(), "ctoharness-chromium", Guid.NewGuid().ToString("N"))}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var browser = Process.Start(start)!;
        var errors = browser.StandardError.ReadToEndAsync();
        var output = browser.StandardOutput.ReadToEnd();
        if (!browser.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            browser.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish");
        }
        Assert.True(browser.ExitCode == 0, $"chromium exited {browser.ExitCode}: {errors.Result}");
        return output;
    }

    private Stage2Report Run(Stage2Request request)
    {
        var result = Stage2Runner.Run(request);
        Assert.True(File.Exists(Path.Combine(result.Report.RunDirectory, RunPage.FileName)), "no report.html was written");
        return result.Report;
    }

    [Fact]
    public void A_passing_run_shows_its_verdict_transcript_and_diff()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs")));

        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "pass");

        Assert.Contains("PASS", dom);
        Assert.Contains("Model transcript", dom);
        Assert.Contains("&lt;&lt;&lt;AGENT_RESULT", dom);
        Assert.Contains("tool call <code>write</code>", dom);
        Assert.Contains("class=\"add\">+    words = re.findall", dom);
        Assert.Contains("test_strings.SlugifyTests.test_strips_punctuation", dom);
        Assert.Contains(report.Provider.Sha256!, dom);
    }

    [Fact]
    public void A_protocol_failure_flags_the_missing_result_block()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), "no-result-reviewer"));

        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "protocol");

        Assert.Contains("case agent result protocol failed", dom);
        Assert.Contains("CTOH302", dom);
        Assert.Contains("No valid AGENT_RESULT block in this answer.", dom);
        Assert.Contains("I looked at the task as the reviewer and I am done.", dom);
    }

    [Fact]
    public void A_failing_model_call_is_linked_from_the_verdict_to_its_anchor()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), "http-500"));
        var html = File.ReadAllText(Path.Combine(report.RunDirectory, RunPage.FileName));

        var link = System.Text.RegularExpressions.Regex.Match(html, "The first failing model call: <a href=\"#call-(\\d+)\">");
        Assert.True(link.Success, "the verdict links no failing call");
        Assert.Contains($"<details open id=\"call-{link.Groups[1].Value}\"><summary>call {link.Groups[1].Value} · HTTP 500", html);
        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "failing-call");
        Assert.Contains("The first failing model call", dom);
    }

    [Fact]
    public void A_timeout_shows_its_marker()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), "silent", timeoutSeconds: 3));

        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "timeout");

        Assert.Contains("provider timeout", dom);
        Assert.Contains("timeoutSeconds: 3", dom);
        Assert.Contains("backend/provider-timeout.txt", dom);
    }

    [Fact]
    public void A_tests_failed_run_shows_the_tests_that_still_fail()
    {
        var fixture = FixtureCopies.WithSolution(_temp.Path, scratch => File.AppendAllText(Path.Combine(scratch, "strings.py"), "\n# looked at it\n"));
        var report = Run(FakeLane.Request(_temp.Combine("runs"), fixture: fixture));

        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "tests-failed");

        Assert.Contains("tests failed", dom);
        Assert.Contains("class=\"del\">failed</td>", dom);
        Assert.Contains("+# looked at it", dom);
        Assert.Contains("No relay ran for this run", dom);
    }

    [Fact]
    public void Markup_from_the_model_is_text_and_no_script_runs()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs"), ScriptedModelScenario.HostileText));
        Assert.Equal(RunStatus.Pass, report.Status);

        var dom = Render(Path.Combine(report.RunDirectory, RunPage.FileName), "hostile");

        Assert.Equal($"CtoHarness run {report.RunId}", Title().Match(dom).Groups["title"].Value);
        Assert.Contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;", dom);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a href=\"javascript:", dom, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;a href=\"javascript:", dom);
        Assert.Contains("script-src 'none'", dom);
    }

    [Fact]
    public void A_run_directory_copied_elsewhere_still_renders_with_working_links_and_the_set_page_links_every_run()
    {
        var report = Run(RealCa.Scripted(_temp.Combine("runs")));
        var copy = _temp.Combine("artifact", report.RunId);
        foreach (var file in Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(report.RunDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var dom = Render(Path.Combine(copy, RunPage.FileName), "copied");

        var links = Regex.Matches(dom, "href=\"(?<href>[^\"]+)\"").Select(m => Uri.UnescapeDataString(m.Groups["href"].Value)).ToList();
        Assert.Contains("changes/changes.patch", links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(copy, link)), $"{link} does not resolve next to the copied page"));

        var summary = new RunSummary { CreatedAt = DateTimeOffset.UtcNow };
        summary.Runs.Add(new SummaryRun { Fixture = report.Fixture.Id, Lane = report.Lane, Status = report.Status, ReportPath = Path.Combine(copy, "report.json"), ModelCalls = 9 });
        summary.Recount();
        var index = SetPage.Write(summary, _temp.Combine("artifact", "summary.json"));
        var set = Render(index, "index");
        Assert.Contains($"href=\"{report.RunId}/report.html\"", set);
        Assert.Contains("1 passed", set);
    }
}
