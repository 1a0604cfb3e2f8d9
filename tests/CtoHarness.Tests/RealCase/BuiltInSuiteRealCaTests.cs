using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Lanes;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>The whole built-in suite with the real `ca` against the scripted model (the replay of each shipped cassette is in ReplayTests).</summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class BuiltInSuiteRealCaTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_built_in_fixture_passes_with_the_real_ca_against_the_scripted_model()
    {
        var settings = new Stage2Settings
        {
            Fixtures = TestPaths.BuiltInFixtures,
            Lane = ScriptedModelLane.Id,
            RunsDirectory = _temp.Combine("runs"),
            TimeoutSeconds = "300",
            CaseLockFile = RealCa.LockFile,
            CaseLockFileIsExplicit = true,
            MaxParallel = "2",
        };
        var (requests, errors) = Stage2Planner.Plan(settings);
        var (batch, batchErrors) = Stage2Planner.PlanBatch(settings);
        Assert.Empty(errors.Concat(batchErrors));

        var outcome = Stage2Batch.Run(requests, batch);

        Assert.All(outcome.Results, result => Assert.True(result.Passed, $"{result.Report.Fixture.Id}: {result.Report.FailureReason}: {result.Report.Message}"));
        Assert.Equal(TestPaths.BuiltInFixtures.Count, outcome.Summary.Pairs.Count(p => p.Verdict == RunStatus.Pass));
        Assert.All(outcome.Results, result => Assert.Empty(RunProcesses.Surviving(result.Report)));
    }
}
