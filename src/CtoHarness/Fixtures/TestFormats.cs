namespace CtoHarness.Fixtures;

/// <summary>The result formats a fixture's <c>tests.format</c> may name; Grading has one parser for each.</summary>
public static class TestFormats
{
    public const string Unittest = "unittest-verbose";
    public const string JUnit = "junit-xml";
    public const string Trx = "trx";

    /// <summary>Where a results file goes, in <c>tests.command</c>: the harness keeps it outside the workspace.</summary>
    public const string ResultsPlaceholder = "{results}";

    public static bool NeedsResultsFile(string format) => format is JUnit or Trx;

    public static IReadOnlyList<string> All { get; } = [Unittest, JUnit, Trx];
}
