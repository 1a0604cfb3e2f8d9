using System.Text.Json;
using System.Xml.Linq;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

/// <summary>Attempts, pass policies and early stop through the package's targets, on the fake lane.</summary>
[Trait("Layer", "Process")]
public sealed class AttemptsTargetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string> Properties(string scenario, int attempts, string policy) => new()
    {
        ["CtoHarnessRunsDir"] = _temp.Combine("runs"),
        ["CtoHarnessFakeScenario"] = scenario,
        ["CtoHarnessAttempts"] = attempts.ToString(),
        ["CtoHarnessPassPolicy"] = policy,
        ["CtoHarnessMaxParallel"] = "1",
        ["CtoHarnessSummaryFile"] = _temp.Combine("summary.json"),
        ["CtoHarnessJUnitFile"] = _temp.Combine("junit.xml"),
        ["CtoHarnessStepSummaryFile"] = _temp.Combine("step-summary.md"),
    };

    private RunSummary Summary()
    {
        SchemaAssert.ValidSummary(_temp.Combine("summary.json"));
        return JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(_temp.Combine("summary.json")), JsonFiles.Options)!;
    }

    [Fact]
    public void At_least_3_of_5_with_attempt_1_failing_runs_4_attempts_saves_the_5th_and_passes_with_a_warning()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var outcome = InProcessBuild.Build(project, "CaseStage2", Properties("fail-attempts:1", 5, "at-least:3"));

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => e.Message)));
        Assert.Equal(4, outcome.RunReports.Count);
        var reports = outcome.RunReports.Select(ReportAssert.Valid).OrderBy(r => r.Attempt).ToList();
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Attempt));
        Assert.All(reports, r => Assert.Equal(5, r.Attempts));
        Assert.All(reports, r => Assert.Contains($"-a{r.Attempt}of5-", r.RunId));
        Assert.Equal([RunStatus.Fail, RunStatus.Pass, RunStatus.Pass, RunStatus.Pass], reports.Select(r => r.Status));

        var warning = Assert.Single(outcome.Warnings, w => w.Code == "CTOH706");
        Assert.Contains("3 of 5 passed, policy at-least:3", warning.Message);
        Assert.Contains("attempt 1 ended fail: no changes (CTOH402)", warning.Message);
        Assert.Equal(Path.GetFullPath(reports[0].RunDirectory), Path.GetDirectoryName(warning.File));

        var pair = Assert.Single(Summary().Pairs);
        Assert.Equal((RunStatus.Pass, 5, 4, 3, 1, 0), (pair.Verdict, pair.Attempts, pair.AttemptsRun, pair.AttemptsPassed, pair.AttemptsSaved, pair.AttemptsNotRunForBudget));
        Assert.Equal(0.75, pair.PassRate!.Value, 3);
        Assert.Equal(0.301, pair.PassRateLow!.Value, 3);
        Assert.Equal(0.954, pair.PassRateHigh!.Value, 3);
        Assert.Equal(1, Summary().Totals.AttemptsSaved);
    }

    [Fact]
    public void Three_failures_of_5_under_at_least_3_stop_after_3_attempts_with_one_policy_error_and_2_saved()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var outcome = InProcessBuild.Build(project, "CaseStage2", Properties("fail-attempts:1,2,3", 5, "at-least:3"));

        Assert.False(outcome.Succeeded);
        Assert.Equal(3, outcome.RunReports.Count);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("CTOH705", error.Code);
        Assert.Contains("0 of 5 passed, policy at-least:3", error.Message);
        foreach (var attempt in new[] { 1, 2, 3 })
        {
            Assert.Contains($"attempt {attempt} ended fail: no changes (CTOH402), report ", error.Message);
        }
        Assert.Contains("2 attempt(s) saved by early stop", error.Message);
        Assert.True(File.Exists(error.File));

        var summary = Summary();
        var pair = Assert.Single(summary.Pairs);
        Assert.Equal((RunStatus.Fail, 3, 0, 2), (pair.Verdict, pair.AttemptsRun, pair.AttemptsPassed, pair.AttemptsSaved));
        Assert.Equal("0 of 5 passed, policy at-least:3", pair.VerdictReason);
        Assert.Equal(2, summary.Totals.AttemptsSaved);
        Assert.Equal(3, summary.Runs.Count);

        // One JUnit test case for the pair, its attempts in its output; the step summary marks each attempt.
        var testCase = Assert.Single(XDocument.Load(_temp.Combine("junit.xml")).Descendants("testcase"));
        Assert.Equal("CTOH705", testCase.Element("failure")!.Attribute("type")!.Value);
        Assert.Contains("attempt 3/5: fail (no changes, CTOH402)", testCase.Element("system-out")!.Value);
        Assert.Contains("| ❌1 ❌2 ❌3 · 2 saved (at-least:3) | 0% (0%–56%) |", File.ReadAllText(_temp.Combine("step-summary.md")));
        // The index page has a mark per attempt, each linking to its page.
        var index = File.ReadAllText(_temp.Combine("index.html"));
        foreach (var report in outcome.RunReports.Select(ReportAssert.Valid))
        {
            Assert.Contains($"href=\"runs/{report.RunId}/report.html\"", index);
        }
        Assert.Contains("2 saved", index);
    }

    [Fact]
    public void Policy_all_stops_at_the_first_failure_and_any_at_the_first_pass()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);

        var all = InProcessBuild.Build(project, "CaseStage2", Properties("fail-attempts:2", 4, "all"));
        Assert.False(all.Succeeded);
        Assert.Equal(2, all.RunReports.Count);
        Assert.Equal("CTOH705", Assert.Single(all.Errors).Code);

        var any = InProcessBuild.Build(project, "CaseStage2", Properties("fail-attempts:1", 4, "any"));
        Assert.True(any.Succeeded);
        Assert.Equal(2, any.RunReports.Count);
        Assert.Equal("CTOH706", Assert.Single(any.Warnings, w => w.Code.StartsWith("CTOH70")).Code);
    }

    [Fact]
    public void Resume_skips_a_pair_that_passed_the_same_policy_and_reruns_it_under_another()
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var first = InProcessBuild.Build(project, "CaseStage2", Properties("fix", 2, "all"));
        Assert.True(first.Succeeded);
        File.Copy(_temp.Combine("summary.json"), _temp.Combine("first.json"));

        var same = Properties("fix", 2, "all");
        same["CtoHarnessResume"] = _temp.Combine("first.json");
        var resumed = InProcessBuild.Build(project, "CaseStage2", same);
        Assert.True(resumed.Succeeded);
        Assert.Empty(resumed.RunReports);
        var pair = Assert.Single(Summary().Pairs);
        Assert.True(pair.Resumed);
        Assert.Equal(2, Summary().Runs.Count(r => r.Resumed));

        var stricter = Properties("fix", 3, "all");
        stricter["CtoHarnessResume"] = _temp.Combine("first.json");
        var rerun = InProcessBuild.Build(project, "CaseStage2", stricter);
        Assert.True(rerun.Succeeded);
        Assert.Equal(3, rerun.RunReports.Count);
    }

    [Theory]
    [InlineData("CtoHarnessAttempts", "0", "CTOH028")]
    [InlineData("CtoHarnessAttempts", "101", "CTOH028")]
    [InlineData("CtoHarnessPassPolicy", "most", "CTOH029")]
    [InlineData("CtoHarnessPassPolicy", "at-least:6", "CTOH029")]
    [InlineData("CtoHarnessCurrency", "usd", "CTOH030")]
    [InlineData("CtoHarnessSetMaxCost", "-1", "CTOH022")]
    [InlineData("CtoHarnessModelMaxCost", "0", "CTOH022")]
    [InlineData("CtoHarnessFakeScenario", "fail-attempts:0", "CTOH003")]
    public void Bad_attempt_and_cost_settings_stop_the_build_before_any_run(string property, string value, string code)
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        var properties = Properties("fix", 5, "all");
        properties[property] = value;

        var outcome = InProcessBuild.Build(project, "CaseStage2", properties);

        Assert.False(outcome.Succeeded);
        Assert.Equal(code, Assert.Single(outcome.Errors).Code);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
    }
}
