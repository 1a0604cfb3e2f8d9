using CtoHarness.Grading;

namespace CtoHarness.Tests.Core;

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
            """);

        Assert.Equal(TestOutcome.Passed, results["test_strings.SlugifyTests.test_a"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_b"]);
        Assert.Equal(TestOutcome.Error, results["test_strings.SlugifyTests.test_c"]);
        Assert.Equal(TestOutcome.Skipped, results["test_strings.SlugifyTests.test_d"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_e"]);
    }

    [Fact]
    public void Reads_python_310_lines_and_docstrings()
    {
        var results = UnittestResultParser.Parse("test_a (test_strings.SlugifyTests) ... ok\ntest_b (test_strings.SlugifyTests)\nSays what it checks ... FAIL\n");

        Assert.Equal(TestOutcome.Passed, results["test_strings.SlugifyTests.test_a"]);
        Assert.Equal(TestOutcome.Failed, results["test_strings.SlugifyTests.test_b"]);
    }

    [Fact]
    public void A_test_absent_from_the_output_is_not_reported_as_anything()
    {
        var results = UnittestResultParser.Parse("Ran 0 tests in 0.000s\n\nOK\n");

        Assert.Empty(results);
    }
}
