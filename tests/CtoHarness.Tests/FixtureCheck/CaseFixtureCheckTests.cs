using System.Text.Json.Nodes;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.FixtureCheck;

/// <summary>CaseFixtureCheck through the package's targets: sound fixtures pass, each kind of unsound one is its own code.</summary>
[Trait("Layer", "Process")]
public sealed class CaseFixtureCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private InProcessBuild.Outcome Check(params string[] fixtures)
    {
        var project = InProcessBuild.WriteConsumer(_temp.Path);
        return InProcessBuild.Build(project, "CaseFixtureCheck", new Dictionary<string, string>
        {
            ["CtoHarnessRunsDir"] = _temp.Combine("runs"),
            ["CtoHarnessFixture"] = string.Join(';', fixtures),
            // No admitted ca here: cassettes are read and checked, not replayed (the replay of each is in ReplayTests).
            ["CtoHarnessCaseLockFile"] = _temp.Combine("no-lock.json"),
        });
    }

    private string Copy(string name)
    {
        var fixture = FixtureCopies.Copy(_temp.Combine("fixtures", name));
        FixtureCopies.EditManifest(fixture, m => m["id"] = name);
        return fixture;
    }

    [Fact]
    public void Every_built_in_fixture_is_sound()
    {
        var outcome = Check([.. TestPaths.BuiltInFixtures]);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors.Select(e => $"{e.Code} {e.File}: {e.Message}")));
        Assert.Equal(TestPaths.BuiltInFixtures.Count, outcome.Messages.Count(m => m.StartsWith("CtoHarness fixture check: ") && m.Contains(" is sound")));
    }

    [Fact]
    public void A_solution_that_does_not_fix_it_is_CTOH407_at_the_patch()
    {
        var fixture = Copy("weak-solution");
        // The reference solution fixes only part of the bug: it changes nothing a test checks.
        File.WriteAllText(Path.Combine(fixture, "solution.patch"), """"
            diff --git a/strings.py b/strings.py
            --- a/strings.py
            +++ b/strings.py
            @@ -1,3 +1,3 @@
            -"""Small string helpers used by the r1-string-slugify fixture."""
            +"""Small string helpers used by the r1-string-slugify fixture (reviewed)."""
             
            
            """".Replace("\r", "") + "\n");

        var outcome = Check(fixture);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("CTOH407", error.Code);
        Assert.Equal(Path.Combine(fixture, "solution.patch"), error.File);
        Assert.Contains("with the reference solution applied", error.Message);
    }

    [Fact]
    public void A_test_file_the_command_runs_but_nobody_protects_is_CTOH408_at_that_file()
    {
        var fixture = Copy("unprotected");
        FixtureCopies.EditManifest(fixture, m => m["protectedPaths"] = new JsonArray());

        var outcome = Check(fixture);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("CTOH408", error.Code);
        Assert.Equal(Path.Combine(fixture, "repo", "test_strings.py"), error.File);
        Assert.Contains("'test_strings.py' is run by the test command", error.Message);
    }

    [Fact]
    public void An_outcome_that_flips_between_repeats_is_CTOH409()
    {
        var fixture = Copy("flaky");
        // A test that fails on the third test run of a run (the baseline, the final, then its first repeat), counting in
        // the tests' home, which outlives each test run (the workspace's ignored files are reset before each final run).
        File.AppendAllText(Path.Combine(fixture, "repo", "test_strings.py"), """


            class FlakyTests(unittest.TestCase):
                def test_passes_every_other_run(self):
                    import os
                    count = os.path.join(os.environ["HOME"], ".runs")
                    runs = int(open(count).read()) + 1 if os.path.exists(count) else 1
                    open(count, "w").write(str(runs))
                    self.assertNotEqual(runs, 3)
            """);
        FixtureCopies.EditManifest(fixture, m =>
        {
            m["passToPass"]!.AsArray().Add("test_strings.FlakyTests.test_passes_every_other_run");
            m.Remove("hiddenTests"); // the hidden test file would replace the one with the flaky test in the final runs
        });

        var outcome = Check(fixture);

        var error = Assert.Single(outcome.Errors);
        Assert.True(error.Code == "CTOH409", $"{error.Code}: {error.Message}");
        Assert.Contains("test_strings.FlakyTests.test_passes_every_other_run", error.Message);
    }

    [Fact]
    public void A_baseline_not_as_declared_is_CTOH406_and_a_bad_manifest_CTOH401()
    {
        var passes = Copy("declared-wrong");
        FixtureCopies.EditManifest(passes, m =>
        {
            // Declared as failing before the fix, but it passes on the untouched sources.
            m["passToPass"]!.AsArray().Remove(m["passToPass"]!.AsArray().First(id => (string?)id == "test_strings.SlugifyTests.test_simple_words"));
            m["failToPass"]!.AsArray().Add("test_strings.SlugifyTests.test_simple_words");
        });
        var invalid = Copy("no-tests");
        FixtureCopies.EditManifest(invalid, m => m["failToPass"] = new JsonArray());

        var outcome = Check(passes, invalid);

        Assert.Equal(["CTOH401", "CTOH406"], outcome.Errors.Select(e => e.Code).Order());
        Assert.All(outcome.Errors, e => Assert.EndsWith("fixture.json", e.File));
    }
}
