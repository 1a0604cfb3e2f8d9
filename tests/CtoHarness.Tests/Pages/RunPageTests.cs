using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Pages;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Pages;

/// <summary>
/// The run page from a checked-in run (a fake provider that failed at the reviewer, with a hostile line added to its
/// change): what it says and what it never lets through, without a browser or a run.
/// </summary>
[Trait("Layer", "Unit")]
public sealed class RunPageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private (Stage2Report Report, string Html) WritePage()
    {
        var source = Path.Combine(TestPaths.RepoRoot, "tests", "CtoHarness.Tests", "Pages", "data", "provider-failed-run");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = _temp.Combine(Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var report = JsonSerializer.Deserialize<Stage2Report>(File.ReadAllBytes(_temp.Combine("report.json")), JsonFiles.Options)!;
        var page = RunPage.Write(report, _temp.Path);
        return (report, File.ReadAllText(page));
    }

    [Fact]
    public void The_verdict_names_the_code_the_reason_and_links_the_marker()
    {
        var (report, html) = WritePage();

        Assert.Equal("CTOH303", report.ErrorCode);
        Assert.Contains("CTOH303", html);
        Assert.Contains("provider failed", html);
        Assert.Contains("the pipeline failed at the reviewer phase", html);
        Assert.Contains("href=\"backend/provider-failed.txt\"", html);
        Assert.Contains("r1-string-slugify", html);
    }

    [Fact]
    public void The_agent_s_change_is_shown_as_text_never_as_markup_and_bidirectional_controls_are_visible()
    {
        var (_, html) = WritePage();

        Assert.Contains("href=\"changes/changes.patch\"", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202e", html, StringComparison.Ordinal);
        Assert.Contains("U+202E", html);
    }

    [Fact]
    public void The_page_loads_nothing_from_anywhere()
    {
        var (_, html) = WritePage();

        Assert.Contains("Content-Security-Policy", html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|action)=\"(https?:|//)", html);
        // The one link out is a reader's to follow (the verdict's docs), never loaded: nothing else points away.
        var outside = System.Text.RegularExpressions.Regex.Matches(html, "href=\"((https?:|//)[^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(outside, href => Assert.StartsWith(CtoHarness.Contracts.Diagnostic.DocsBase + "#ctoh", href));
    }

    [Fact]
    public void A_failed_runs_verdict_says_what_to_do_next_and_links_the_codes_docs()
    {
        var (_, html) = WritePage();

        var code = System.Text.RegularExpressions.Regex.Match(html, "<code>(CTOH\\d{3})</code>").Groups[1].Value;
        var diagnostic = CtoHarness.Contracts.Diagnostics.Of(code);
        Assert.Contains($"<strong>Next:</strong> {System.Net.WebUtility.HtmlEncode(diagnostic.NextStep!)}", html);
        Assert.Contains($"href=\"{diagnostic.DocsUrl}\"", html);
    }

    [Fact]
    public void The_docs_link_reads_the_docs_at_the_commit_the_harness_was_built_from()
    {
        var version = CtoHarness.HarnessVersion.Current;
        var commit = version.Contains('+') ? version[(version.IndexOf('+') + 1)..] : "";
        Assert.Matches("^[0-9a-f]{40}$", commit); // built from this repository: SourceLink puts the commit in the version
        Assert.Equal($"https://github.com/ctoharness/CtoHarness/blob/{commit}/docs/errors.md", CtoHarness.Contracts.Diagnostic.DocsBase);
    }

    [Fact]
    public void Every_code_a_run_can_end_with_has_a_next_step()
    {
        // The provider and sandbox, the model, how the provider ended, the change and tests, the harness.
        var runCodes = CtoHarness.Contracts.Diagnostics.All.Where(d => d.Number is (>= 101 and <= 109) or (>= 201 and <= 399) or (>= 401 and <= 404) or (>= 501 and <= 599)).ToList();
        Assert.Equal(22, runCodes.Count);
        Assert.All(runCodes, d => Assert.False(string.IsNullOrWhiteSpace(d.NextStep), $"{d.Code} has no next step"));
    }
}
