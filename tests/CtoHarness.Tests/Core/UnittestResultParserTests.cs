using CtoHarness.Grading;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Unit")]
public class UnittestResultParserTests
{
    [Fact]
    public void Reads_python_311_lines()
    {
        var results = UnittestResultParser.Parse("""
            test_a (test_strings.SlugifyTests.test_a) ... ok
            test_b (test_strings.SlugifyTests.test_b) ... FAIL
            test_c (test_strings.SlugifyTests.test_c) ... ERROR
            test_d (test_strings.SlugifyTests.test_d) ... skipped 'later'
            test_e (test_strings.SlugifyTests.test_e) ... unexpected success
            """).Results.ToDictionary(r => r.Id, r => r.Outcome);

        Assert.Equal(TestOutcome.Passed, results["test_strings.SlugifyTests.test_a"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_b"]);
        Assert.Equal(TestOutcome.Error, results["test_strings.SlugifyTests.test_c"]);
        Assert.Equal(TestOutcome.Skipped, results["test_strings.SlugifyTests.test_d"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_e"]);
    }

    [Fact]
    public void Reads_python_310_lines_and_docstrings()
    {
        var results = UnittestResultParser.Parse("test_a (test_strings.SlugifyTests) ... ok\ntest_b (test_strings.SlugifyTests)\nSays what it checks ... FAIL\n").Results.ToDictionary(r => r.Id, r => r.Outcome);

        Assert.Equal(TestOutcome.Passed, results["test_strings.SlugifyTests.test_a"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_b"]);
    }

    [Fact]
    public void A_test_absent_from_the_output_is_not_reported_as_anything()
    {
        var results = UnittestResultParser.Parse("Ran 0 tests in 0.000s\n\nOK\n").Results;

        Assert.Empty(results);
    }
}

[Trait("Layer", "Unit")]
public class ResultCrossCheckTests
{
    private const string Failing = """
        test_a (m.C.test_a) ... FAIL

        ======================================================================
        FAIL: test_a (m.C.test_a)
        ----------------------------------------------------------------------
        Ran 1 test in 0.001s

        FAILED (failures=1)
        """;

    [Fact]
    public void The_last_summary_line_is_read()
    {
        Assert.False(UnittestResultParser.Parse(Failing).SummarySaysPassed);
        Assert.True(UnittestResultParser.Parse("test_a (m.C.test_a) ... ok\n\nRan 1 test in 0s\n\nOK (skipped=1)\n").SummarySaysPassed);
        Assert.Null(UnittestResultParser.Parse("test_a (m.C.test_a) ... ok\n").SummarySaysPassed);
    }

    [Fact]
    public void Lines_printed_after_the_run_that_claim_a_pass_make_the_evidence_disagree()
    {
        var reported = UnittestResultParser.Parse(Failing + "\ntest_a (m.C.test_a) ... ok\n");

        var (outcomes, disagreements) = ResultCrossCheck.Judge(reported, observed: null, observerUsed: false, exitCode: 1);

        Assert.Equal(TestOutcome.Failed, outcomes["m.C.test_a"]);
        Assert.Contains(disagreements, d => d.Contains("m.C.test_a both failed and passed"));
    }

    [Fact]
    public void An_exit_code_that_contradicts_the_outcomes_or_the_summary_is_a_disagreement()
    {
        var passing = UnittestResultParser.Parse("test_a (m.C.test_a) ... ok\n\nRan 1 test in 0s\n\nOK\n");

        Assert.Contains(ResultCrossCheck.Judge(passing, null, false, exitCode: 1).Disagreements, d => d.Contains("exited 1 although every reported test passed"));
        Assert.Contains(ResultCrossCheck.Judge(UnittestResultParser.Parse(Failing), null, false, exitCode: 0).Disagreements, d => d.Contains("exited 0 although"));
        Assert.Empty(ResultCrossCheck.Judge(passing, null, false, exitCode: 0).Disagreements);
    }

    [Fact]
    public void The_observer_is_the_authority_and_must_have_seen_the_end()
    {
        var claimed = UnittestResultParser.Parse("test_a (m.C.test_a) ... ok\n\nRan 1 test in 0s\n\nOK\n");
        var observed = new ObservedRun([new ReportedResult("m.C.test_a", TestOutcome.Failed)], ExitCode: 0);

        var (outcomes, disagreements) = ResultCrossCheck.Judge(claimed, observed, observerUsed: true, exitCode: 0);

        Assert.Equal(TestOutcome.Failed, outcomes["m.C.test_a"]);
        Assert.Contains(disagreements, d => d.Contains("the test framework recorded it failed"));
        Assert.Contains(ResultCrossCheck.Judge(claimed, new ObservedRun([], null), true, 0).Disagreements, d => d.Contains("did not record the end"));
        Assert.Contains(ResultCrossCheck.Judge(claimed, new ObservedRun([new ReportedResult("m.C.test_a", TestOutcome.Passed)], 1), true, 0).Disagreements,
            d => d.Contains("ended with exit code 1 but the test process exited 0"));
    }
}
