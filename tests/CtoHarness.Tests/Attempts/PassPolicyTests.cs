using CtoHarness.Attempts;

namespace CtoHarness.Tests.Attempts;

[Trait("Layer", "Unit")]
public sealed class PassPolicyTests
{
    [Theory]
    [InlineData("", "all")]
    [InlineData("all", "all")]
    [InlineData(" any ", "any")]
    [InlineData("at-least:3", "at-least:3")]
    public void Policies_parse_and_print_as_written(string text, string expected)
    {
        Assert.Equal(expected, PassPolicy.Parse(text)!.ToString());
    }

    [Theory]
    [InlineData("most")]
    [InlineData("at-least:0")]
    [InlineData("at-least:")]
    [InlineData("at-least:-1")]
    [InlineData("at-least:two")]
    [InlineData("ALL")]
    public void Anything_else_is_refused(string text)
    {
        Assert.Null(PassPolicy.Parse(text));
    }

    // (policy, attempts, passed, finished) -> outcome: decided as soon as the bar is reached or out of reach.
    [Theory]
    [InlineData("all", 5, 0, 0, PolicyOutcome.Open)]
    [InlineData("all", 5, 4, 4, PolicyOutcome.Open)]
    [InlineData("all", 5, 5, 5, PolicyOutcome.Passed)]
    [InlineData("all", 5, 0, 1, PolicyOutcome.Failed)]
    [InlineData("any", 5, 0, 4, PolicyOutcome.Open)]
    [InlineData("any", 5, 1, 1, PolicyOutcome.Passed)]
    [InlineData("any", 5, 0, 5, PolicyOutcome.Failed)]
    [InlineData("at-least:3", 5, 3, 4, PolicyOutcome.Passed)]
    [InlineData("at-least:3", 5, 2, 3, PolicyOutcome.Open)]
    [InlineData("at-least:3", 5, 0, 3, PolicyOutcome.Failed)]
    [InlineData("at-least:3", 5, 1, 4, PolicyOutcome.Failed)]
    [InlineData("at-least:3", 5, 2, 4, PolicyOutcome.Open)]
    public void The_outcome_is_decided_exactly_when_no_further_attempt_can_change_it(string policy, int attempts, int passed, int finished, PolicyOutcome expected)
    {
        Assert.Equal(expected, PassPolicy.Parse(policy)!.Decide(attempts, passed, finished));
    }

    [Fact]
    public void A_tally_saves_the_attempts_after_the_decision_and_counts_those_the_budget_stopped()
    {
        // at-least:3 of 5, attempt 1 fails and the others pass: decided after attempt 4, attempt 5 is saved.
        var tally = new PairTally(PassPolicy.Parse("at-least:3")!, 5);
        foreach (var passes in new[] { false, true, true, true })
        {
            Assert.True(tally.TryStart(budgetSpent: false));
            tally.Finish(passes);
        }
        Assert.False(tally.TryStart(budgetSpent: false));
        Assert.Equal((4, 3, 1, 0, PolicyOutcome.Passed), (tally.Finished, tally.Passed, tally.Saved, tally.NotRunForBudget, tally.Outcome));

        var budgeted = new PairTally(PassPolicy.All, 3);
        Assert.True(budgeted.TryStart(budgetSpent: false));
        budgeted.Finish(true);
        Assert.False(budgeted.TryStart(budgetSpent: true));
        Assert.False(budgeted.TryStart(budgetSpent: true));
        Assert.Equal((2, 0, PolicyOutcome.Open), (budgeted.NotRunForBudget, budgeted.Saved, budgeted.Outcome));
    }

    [Fact]
    public void A_running_attempt_keeps_the_pair_open_until_it_finishes()
    {
        // Two attempts running at once under "all" of 2: neither decides the pair before it ends.
        var tally = new PairTally(PassPolicy.All, 2);
        Assert.True(tally.TryStart(false));
        Assert.True(tally.TryStart(false));
        Assert.Equal(PolicyOutcome.Open, tally.Outcome);
        tally.Finish(true);
        Assert.Equal(PolicyOutcome.Open, tally.Outcome);
        tally.Finish(false);
        Assert.Equal(PolicyOutcome.Failed, tally.Outcome);
    }

    // Reference values of the 95% Wilson score interval (z = 1.96), to three decimals.
    [Theory]
    [InlineData(8, 10, 0.800, 0.490, 0.943)]
    [InlineData(0, 5, 0.000, 0.000, 0.434)]
    [InlineData(5, 5, 1.000, 0.566, 1.000)]
    [InlineData(3, 4, 0.750, 0.301, 0.954)]
    [InlineData(50, 100, 0.500, 0.404, 0.596)]
    public void The_pass_rate_carries_its_wilson_interval(int passed, int run, double rate, double low, double high)
    {
        var result = PassRate.Of(passed, run)!;
        Assert.Equal(rate, result.Rate, 3);
        Assert.Equal(low, result.Low, 3);
        Assert.Equal(high, result.High, 3);
    }

    [Fact]
    public void No_attempt_run_has_no_rate()
    {
        Assert.Null(PassRate.Of(0, 0));
    }

    [Theory]
    [InlineData("fail-attempts:1,3", new[] { 1, 3 })]
    [InlineData("fail-attempts:2", new[] { 2 })]
    [InlineData("fail-attempts: 1 , 100", new[] { 1, 100 })]
    public void Failing_attempts_name_the_attempts_that_make_no_change(string scenario, int[] failing)
    {
        var parsed = FailingAttempts.Parse(scenario)!;
        Assert.Equal(failing.Order(), parsed.Attempts.Order());
        Assert.All(Enumerable.Range(1, 100), attempt => Assert.Equal(failing.Contains(attempt), parsed.Fails(attempt)));
    }

    [Theory]
    [InlineData("fail-attempts:")]
    [InlineData("fail-attempts:0")]
    [InlineData("fail-attempts:101")]
    [InlineData("fail-attempts:1,x")]
    [InlineData("fix")]
    public void Bad_failing_attempt_lists_are_refused(string scenario)
    {
        Assert.Null(FailingAttempts.Parse(scenario));
    }
}
