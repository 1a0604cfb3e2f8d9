using System.Text.Json;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Lanes;
using CtoHarness.Models;
using CtoHarness.ScriptedModel;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>
/// Attempts and cost with the real `ca` against the scripted model: attempts in parallel, each run costed from the
/// declared prices of the pair it ran, a run's and a set's cost budget, and the scripted model failing chosen attempts.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class AttemptsTests : IDisposable
{
    private static readonly ModelPrices Prices = new(InputPerMTok: 3m, OutputPerMTok: 15m, CachedInputPerMTok: 0.3m);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private BatchResult RunSet(string attempts, string policy, string maxParallel, string scenario = "solve", string? setMaxCost = null, string? modelMaxCost = null,
        string? api = null)
    {
        var settings = new Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = ScriptedModelLane.Id,
            RunsDirectory = _temp.Combine("runs"),
            TimeoutSeconds = "90",
            CaseLockFile = RealCa.LockFile,
            CaseLockFileIsExplicit = true,
            ScriptedModelScenario = scenario,
            ScriptedModelApi = api,
            // The scripted model is priced like any model, by an item naming the pair its runs record.
            AdmittedModels = [new AdmittedModel(ScriptedModelLane.Provider, ScriptedModelServer.ModelId) { Prices = Prices }],
            Currency = "EUR",
            Attempts = attempts,
            PassPolicy = policy,
            MaxParallel = maxParallel,
            SetMaxCost = setMaxCost,
            ModelMaxCost = modelMaxCost,
        };
        var (requests, errors) = Stage2Planner.Plan(settings);
        var (batch, batchErrors) = Stage2Planner.PlanBatch(settings);
        Assert.Empty(errors.Concat(batchErrors));
        return Stage2Batch.Run(requests.Select(r => r with { KillGrace = TimeSpan.FromMilliseconds(500) }).ToList(), batch);
    }

    /// <summary>The cost of a run recomputed from its recorded exchanges at the declared prices.</summary>
    private static decimal CostFromExchanges(Stage2Report report) =>
        File.ReadAllLines(Path.Combine(report.RunDirectory, report.Model.Traffic!.ExchangesLog))
            .Select(line => JsonSerializer.Deserialize<ModelExchange>(line, JsonFiles.Options)!)
            .Sum(Prices.CostOf);

    [Fact]
    public void Three_attempts_two_at_once_are_costed_from_declared_prices_and_the_set_budget_stops_the_third()
    {
        // Any single run costs more than this: the first two attempts start together, the third would start after.
        var outcome = RunSet(attempts: "3", policy: "all", maxParallel: "2", setMaxCost: "0.0001");

        var pair = Assert.Single(outcome.Pairs);
        Assert.Equal(2, pair.Attempts.Count);
        Assert.All(pair.Attempts, a => Assert.True(a.Passed, $"{a.Report.FailureReason}: {a.Report.Message}"));
        Assert.Equal([1, 2], pair.Attempts.Select(a => a.Report.Attempt).Order());
        // The two ran at the same time.
        var (first, second) = (pair.Attempts[0].Report, pair.Attempts[1].Report);
        Assert.True(first.StartedAt < second.FinishedAt && second.StartedAt < first.FinishedAt, $"{first.StartedAt:O}-{first.FinishedAt:O} vs {second.StartedAt:O}-{second.FinishedAt:O}");
        foreach (var report in pair.Attempts.Select(a => ReportAssert.Valid(a.ReportPath)))
        {
            var cost = report.Model.Cost!;
            Assert.Equal("EUR", cost.Currency);
            Assert.True(cost.Total > 0.0001m, $"{cost.Total}");
            Assert.Equal(CostFromExchanges(report), cost.Total);
            Assert.Equal(cost.Total, cost.PerAgent.Values.Sum());
            Assert.Contains("implementer", cost.PerAgent.Keys);
            var page = File.ReadAllText(Path.Combine(report.RunDirectory, RunDirectory.PageFileName));
            Assert.Contains($"{Money.Format(cost.Total)} EUR", page);
            Assert.Contains($"attempt {report.Attempt} of 3", page);
        }

        Assert.Equal((RunStatus.Fail, 2, 2, 0, 1), (pair.Summary.Verdict, pair.Summary.AttemptsRun, pair.Summary.AttemptsPassed, pair.Summary.AttemptsSaved, pair.Summary.AttemptsNotRunForBudget));
        Assert.Contains("1 attempt(s) not run: the set's cost budget of 0.0001 EUR was spent (CtoHarnessSetMaxCost)", pair.Summary.VerdictReason);
        Assert.Equal("CTOH707", Reporting.PairVerdicts.Of(pair, "project")!.Code);
        var total = pair.Attempts.Sum(a => a.Report.Model.Cost!.Total);
        Assert.Equal(total, pair.Summary.Cost);
        Assert.Equal(total, outcome.Summary.Totals.Cost);
        Assert.Equal(("EUR", 1), (outcome.Summary.Currency, outcome.Summary.Totals.AttemptsNotRunForBudget));
    }

    public static TheoryData<string> Styles() => [.. CtoHarness.Protocol.ApiStyles.All];

    [Theory]
    [MemberData(nameof(Styles))]
    public void A_run_cost_budget_refuses_the_call_that_would_pass_it(string api)
    {
        var outcome = RunSet(attempts: "1", policy: "all", maxParallel: "1", modelMaxCost: "0.0001", api: api);

        var report = ReportAssert.Ended(Assert.Single(outcome.Results), FailureKind.ModelBudgetExceeded);
        Assert.Contains("the cost budget is spent", File.ReadAllText(Path.Combine(report.RunDirectory, FailureKind.ModelBudgetExceeded.Marker!)));
        Assert.True(report.Model.Traffic!.Calls >= 2);
        Assert.Equal(CostFromExchanges(report), report.Model.Cost!.Total);
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void The_scripted_model_fails_the_chosen_attempt_and_at_least_2_of_3_passes_with_it_listed()
    {
        var outcome = RunSet(attempts: "3", policy: "at-least:2", maxParallel: "1", scenario: "fail-attempts:2");

        var pair = Assert.Single(outcome.Pairs);
        Assert.Equal([true, false, true], pair.Attempts.OrderBy(a => a.Report.Attempt).Select(a => a.Passed));
        // Case completes its pipeline although the implementer wrote nothing: only the workspace tells.
        var unchanged = pair.Attempts.Single(a => a.Report.Attempt == 2).Report;
        Assert.Equal(("completed", "CTOH402"), (unchanged.Backend.Outcome, unchanged.ErrorCode));
        Assert.Equal(RunStatus.Pass, pair.Summary.Verdict);
        var warning = Reporting.PairVerdicts.Of(pair, "project")!;
        Assert.Equal("CTOH706", warning.Code);
        Assert.Contains("attempt 2 ended", warning.Message);
        Assert.Equal(pair.Attempts.Single(a => a.Report.Attempt == 2).ReportPath, warning.File);
    }
}
