using CtoHarness.Configuration;
using CtoHarness.Settings;
using CtoHarness.Stage2;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>Builds fake-lane requests the way the CaseStage2 task does, through the planner.</summary>
public static class FakeLane
{
    public static Stage2Request Request(string runsDirectory, string scenario = "fix", string? fixture = null, int timeoutSeconds = 120, string? outputCap = null)
    {
        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [fixture ?? TestPaths.SlugifyFixture],
            Lane = "fake",
            RunsDirectory = runsDirectory,
            TimeoutSeconds = timeoutSeconds.ToString(),
            OutputCapBytes = outputCap,
            FakeScenario = scenario,
            FakeProviderAssembly = TestPaths.FakeProviderAssembly,
            ReuseBaseline = "false", // every test runs its own baseline, whatever ran before it (BaselineReuseTests covers reuse)
        });
        Assert.Empty(errors);
        return Assert.Single(requests) with { KillGrace = TimeSpan.FromMilliseconds(500) };
    }
}
