using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fake;
using CtoHarness.Grading;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>What a pass means: the fixture's own tests, graded per test, with no vacuous, partial, regressed or flaky pass.</summary>
[Trait("Layer", "Process")]
public sealed class GradingTests : IDisposable
{
    private const string FixedSlugify = "    words = re.findall(r\"[a-z0-9]+\", text.lower())\n    return \"-\".join(words)";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Stage2Result Run(string fixture, int repeats = 1)
    {
        var request = FakeLane.Request(_temp.Combine("runs"), FakeScenario.Fix, fixture) with { TestRepeats = repeats };
        var result = Stage2Runner.Run(request);
        Assert.Empty(RunProcesses.Surviving(result.Report));
        return result;
    }

    private string Solution(Func<string, string> rewriteStrings) =>
        FixtureCopies.WithSolution(_temp.Combine("fixture"), repo =>
        {
            var path = Path.Combine(repo, "strings.py");
            File.WriteAllText(path, rewriteStrings(File.ReadAllText(path)));
        });

    [Fact]
    public void Both_built_in_fixtures_pass_on_the_fake_lane()
    {
        var r2 = Path.Combine(Path.GetDirectoryName(TestPaths.SlugifyFixture)!, "r2-interval-merge");

        var slugify = ReportAssert.Valid(Run(TestPaths.SlugifyFixture).ReportPath);
        var intervals = ReportAssert.Valid(Run(r2).ReportPath);

        Assert.Equal(RunStatus.Pass, slugify.Status);
        Assert.Equal(RunStatus.Pass, intervals.Status);
        Assert.Equal(["intervals/merge.py"], intervals.Changes.Files);
        Assert.All(intervals.Tests.Baseline!.Results.Where(r => r.Kind == "failToPass"), r => Assert.Equal(TestOutcome.Failed, r.Outcome));
        Assert.All(intervals.Tests.Final!.Results, r => Assert.Equal(TestOutcome.Passed, r.Outcome));
        Assert.Contains(intervals.Evidence, e => e.Path == "tests/final.junit.xml");
        Assert.DoesNotContain(intervals.Changes.Files, f => f.EndsWith(".xml"));
    }

    [Fact]
    public void The_hidden_tests_count_in_the_final_run_only()
    {
        var report = ReportAssert.Valid(Run(TestPaths.SlugifyFixture).ReportPath);

        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Equal(["test_strings.py"], report.Tests.HiddenFiles);
        Assert.DoesNotContain(report.Tests.Baseline!.Results, r => r.Kind.StartsWith("hidden"));
        Assert.Contains(report.Tests.Final!.Results, r => r is { Id: "test_strings.SlugifyTests.test_other_punctuation_is_dropped", Kind: "hiddenFailToPass", Outcome: TestOutcome.Passed });
        Assert.Contains(report.Tests.Final.Results, r => r is { Kind: "hiddenPassToPass", Outcome: TestOutcome.Passed });
        // The change the agent made was collected before the hidden tests were laid over the workspace.
        Assert.DoesNotContain("test_other_punctuation_is_dropped", File.ReadAllText(Path.Combine(report.RunDirectory, report.Changes.PatchPath!)));
    }

    [Fact]
    public void A_change_that_only_satisfies_the_visible_tests_fails_the_hidden_ones()
    {
        // Strips exactly the punctuation the visible tests use.
        var fixture = Solution(s => s.Replace(
            "return text.lower().replace(\" \", \"-\")",
            "return \"-\".join(text.replace(\",\", \" \").replace(\"!\", \" \").replace(\"-\", \" \").lower().split())"));

        var report = ReportAssert.Ended(Run(fixture), FailureKind.TestsFailed);

        Assert.Equal("fail-to-pass tests still failing: test_strings.SlugifyTests.test_other_punctuation_is_dropped", report.Message);
        Assert.All(report.Tests.Final!.Results.Where(r => !r.Kind.StartsWith("hidden")), r => Assert.Equal(TestOutcome.Passed, r.Outcome));
    }

    [Fact]
    public void A_partial_fix_fails_naming_the_tests_still_failing()
    {
        var fixture = Solution(s => s.Replace("return text.lower().replace(\" \", \"-\")", "return text.strip().lower().replace(\" \", \"-\")"));

        var result = Run(fixture);

        var report = ReportAssert.Ended(result, FailureKind.TestsFailed);
        Assert.Contains("fail-to-pass tests still failing: test_strings.SlugifyTests.test_strips_punctuation", report.Message);
        Assert.DoesNotContain("test_trims_surrounding_whitespace", report.Message);
        Assert.DoesNotContain("pass-to-pass", report.Message);
    }

    [Fact]
    public void A_regression_fails_naming_the_broken_tests()
    {
        var fixture = Solution(s => s
            .Replace("return text.lower().replace(\" \", \"-\")", FixedSlugify.TrimStart())
            .Replace("\"\"\"Small string helpers", "import re\n\n\"\"\"Small string helpers")
            .Replace("return text[: max(0, limit - len(suffix))] + suffix", "return text[:limit] + suffix"));

        var result = Run(fixture);

        var report = ReportAssert.Ended(result, FailureKind.TestsFailed);
        Assert.Equal("pass-to-pass tests broken by the change: test_strings.TruncateTests.test_long_text_gets_suffix", report.Message);
    }

    [Fact]
    public void Repeats_that_disagree_fail_the_run_as_flaky()
    {
        // Fixed, but only in the first test process that imports it in a run (a count kept in the tests' own
        // temporary directory, which every test run of a run shares): the second final run differs.
        var fixture = Solution(s => s
            .Replace("return text.lower().replace(\" \", \"-\")",
                "if _RUNS > 1:\n        return text\n" + FixedSlugify)
            .Replace("\"\"\"Small string helpers",
                "import os\nimport re\nimport tempfile\n\n_COUNT = os.path.join(tempfile.gettempdir(), 'slugify-imports')\n" +
                "with open(_COUNT, 'a') as _f:\n    _f.write('x')\n_RUNS = os.path.getsize(_COUNT)\n\n\"\"\"Small string helpers"));

        var once = ReportAssert.Valid(Run(fixture).ReportPath);
        var twice = Run(fixture, repeats: 2);

        Assert.Equal(RunStatus.Pass, once.Status);
        var report = ReportAssert.Ended(twice, FailureKind.TestsFailed);
        Assert.StartsWith("the tests are flaky: repeats of the final test run disagree on", report.Message);
        Assert.Single(report.Tests.FinalRepeats);
    }

    [Fact]
    public void A_solution_that_does_not_apply_makes_the_fixture_invalid()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        File.WriteAllText(Path.Combine(fixture, "solution.patch"), "diff --git a/nothing.py b/nothing.py\n--- a/nothing.py\n+++ b/nothing.py\n@@ -1 +1 @@\n-a\n+b\n");

        var result = Run(fixture);

        var report = ReportAssert.Ended(result, FailureKind.FixtureInvalid);
        Assert.Contains("does not apply", report.Message);
        Assert.False(report.Backend.CaseProcessStarted);
    }

    [Fact]
    public void A_test_id_that_does_not_exist_makes_the_fixture_invalid()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        FixtureCopies.EditManifest(fixture, m => m["failToPass"]!.AsArray().Add("test_strings.SlugifyTests.test_that_does_not_exist"));

        var result = Run(fixture);

        var report = ReportAssert.Ended(result, FailureKind.FixtureInvalid);
        Assert.Contains("tests not found in the baseline run: test_strings.SlugifyTests.test_that_does_not_exist", report.Message);
    }

    [Fact]
    public void A_symlink_in_the_sources_pointing_outside_makes_the_fixture_invalid()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        File.CreateSymbolicLink(Path.Combine(fixture, "repo", "secrets.txt"), "/etc/passwd");

        var report = ReportAssert.Ended(Run(fixture), FailureKind.FixtureInvalid);

        Assert.Contains("symbolic link", report.Message);
    }

    [Fact]
    public void The_evidence_manifest_catches_evidence_edited_or_added_after_the_run()
    {
        var result = Run(TestPaths.SlugifyFixture);
        var directory = result.Report.RunDirectory;
        Assert.Empty(EvidenceVerifier.Verify(directory));

        File.AppendAllText(Path.Combine(directory, "tests", "final.stderr.log"), "OK\n");
        File.WriteAllText(Path.Combine(directory, "backend", "extra.txt"), "added later");
        File.Delete(Path.Combine(directory, "changes", "changes.patch"));

        var mismatches = EvidenceVerifier.Verify(directory);
        Assert.Contains(mismatches, m => m.Path.EndsWith("final.stderr.log") && m.Problem.StartsWith("changed since the run"));
        Assert.Contains(mismatches, m => m.Path.EndsWith("extra.txt") && m.Problem.StartsWith("not in the manifest"));
        Assert.Contains(mismatches, m => m.Path.EndsWith("changes.patch") && m.Problem.Contains("missing"));
    }
}
