using CtoHarness.Contracts;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Pages;

/// <summary>The page of a fake-lane run that failed: what the agent said, what to do next, no unexplained cell.</summary>
[Trait("Layer", "Process")]
public sealed class FakeLanePageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_run_with_no_change_shows_the_agents_log_the_next_step_and_why_the_final_tests_did_not_run()
    {
        var result = Stage2Runner.Run(FakeLane.Request(_temp.Combine("runs"), scenario: "noop"));
        var report = ReportAssert.Ended(result, FailureKind.NoChanges);

        var html = File.ReadAllText(Path.Combine(report.RunDirectory, "report.html"));

        Assert.Contains("<h2>Case's log</h2>", html);
        Assert.Contains("agent completed", html);
        Assert.Contains("agent=implementer", html);
        // The agent's own claim, in its AGENT_RESULT block: it changed no file.
        Assert.Contains("&quot;filesChanged&quot;:[]", html);
        Assert.Contains("<strong>Next:</strong> The agent changed nothing", html);
        Assert.Contains("Final: not run.", html);
        Assert.DoesNotContain("<td class=\"\">-</td>", html);
    }
}
