namespace CtoHarness.Fake;

/// <summary>The behaviours of the fake `ca`, chosen by one variable. Only the fake lane ever sets it.</summary>
public static class FakeScenario
{
    public const string Variable = "CTO_HARNESS_FAKE_CASE_SCENARIO";
    public const string SolutionVariable = "CTO_HARNESS_FAKE_CASE_SOLUTION";
    public const string FloodBytesVariable = "CTO_HARNESS_FAKE_CASE_FLOOD_BYTES";

    public const string Fix = "fix";
    public const string Noop = "noop";
    public const string Hang = "hang";
    public const string HangIgnoringTerm = "hang-ignore-term";
    public const string NoAgentResult = "no-agent-result";
    public const string FailAtReviewer = "fail-at-reviewer";
    public const string Crash = "crash";
    public const string Flood = "flood";
    public const string DetachedChild = "detached-child";
    public const string HangWithDetachedChild = "hang-detached-child";
    public const string TamperTests = "tamper-tests";
    /// <summary>Fixes, then deletes the workspace's own .git, as a careless model might.</summary>
    public const string DeleteGit = "delete-git";

    public static IReadOnlyList<string> All { get; } =
        [Fix, Noop, Hang, HangIgnoringTerm, NoAgentResult, FailAtReviewer, Crash, Flood, DetachedChild, HangWithDetachedChild, TamperTests, DeleteGit];
}
