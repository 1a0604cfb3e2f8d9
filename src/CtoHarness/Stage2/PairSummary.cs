using System.Globalization;
using CtoHarness.Attempts;
using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>The summary's entries of a pair and of each of its attempts.</summary>
internal static class PairSummary
{
    public static SummaryPair Of(RunIdentity identity, PairTally tally, IReadOnlyList<Stage2Result> attempts, decimal? setMaxCost, string currency)
    {
        var outcome = tally.Outcome;
        var rate = tally.Rate;
        return new SummaryPair
        {
            Fixture = identity.FixtureId,
            Lane = identity.Lane,
            Verdict = outcome == PolicyOutcome.Passed ? RunStatus.Pass : RunStatus.Fail,
            VerdictReason = outcome == PolicyOutcome.Passed ? null : Reason(tally, setMaxCost, currency),
            Policy = tally.Policy.ToString(),
            Attempts = tally.Attempts,
            AttemptsRun = tally.Finished,
            AttemptsPassed = tally.Passed,
            AttemptsSaved = tally.Saved,
            AttemptsNotRunForBudget = tally.NotRunForBudget,
            PassRate = rate?.Rate,
            PassRateLow = rate?.Low,
            PassRateHigh = rate?.High,
            Cost = ModelPrices.Total(attempts.Select(a => (a.Report.Model.Traffic is not null, a.Report.Model.Cost?.Total))),
            FixtureDigest = identity.FixtureDigest,
            ProviderSha256 = identity.ProviderSha256,
            Model = identity.Model,
        };
    }

    /// <summary>One line: how many passed of how many, under which policy, and the attempts the budget left unrun.</summary>
    public static string Reason(PairTally tally, decimal? setMaxCost, string currency)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{tally.Passed} of {tally.Attempts} passed, policy {tally.Policy}");
        if (tally.NotRunForBudget > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture,
                $"; {tally.NotRunForBudget} attempt(s) not run: the set's cost budget of {Money.Format(setMaxCost ?? 0)} {currency} was spent (CtoHarnessSetMaxCost)");
        }
        return line;
    }

    public static SummaryRun Run(Stage2Result result, RunIdentity identity) => new()
    {
        Fixture = result.Report.Fixture.Id,
        Lane = result.Report.Lane,
        Attempt = result.Report.Attempt,
        Attempts = result.Report.Attempts,
        Status = result.Report.Status,
        FailureReason = result.Report.FailureReason,
        ErrorCode = result.Report.ErrorCode,
        ReportPath = result.ReportPath,
        ReportSha256 = result.ReportSha256,
        ModelCalls = result.Report.Model.Traffic?.Calls,
        ModelTokens = result.Report.Model.Traffic?.TotalTokens,
        Cost = result.Report.Model.Cost?.Total,
        DurationMs = result.Report.DurationMs,
        FixtureDigest = identity.FixtureDigest,
        ProviderSha256 = identity.ProviderSha256,
        Model = identity.Model,
    };
}
