namespace CtoHarness.Grading;

public static class TestOutcome
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Error = "error";
    public const string Skipped = "skipped";
    /// <summary>The test did not appear in the output at all; it never counts as passed.</summary>
    public const string Missing = "missing";
}
