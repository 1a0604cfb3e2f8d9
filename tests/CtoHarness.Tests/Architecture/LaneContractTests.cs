using CtoHarness.Admission;
using CtoHarness.Configuration;
using CtoHarness.Lanes;
using CtoHarness.Settings;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Architecture;

/// <summary>The same promises, checked for every lane the registry has: a new lane is held to them by being registered.</summary>
[Trait("Layer", "Unit")]
public class LaneContractTests
{
    public static TheoryData<string> LaneNames() => [.. LaneRegistry.Names];

    private static Stage2Settings Settings(string lane) => new()
    {
        Fixtures = [TestPaths.SlugifyFixture],
        Lane = lane,
        RunsDirectory = Path.Combine(Path.GetTempPath(), "ctoharness-lane-contract"),
        FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        CaseModelProvider = "qwen-local",
        CaseModel = "qwen3.6-35b-a3b",
    };

    [Fact]
    public void Lane_names_are_unique_and_each_is_found_by_its_name()
    {
        Assert.Equal(LaneRegistry.Names.Count(), LaneRegistry.Names.Distinct().Count());
        Assert.All(LaneRegistry.All, lane => Assert.Same(lane, LaneRegistry.Find(lane.Name)));
        Assert.Null(LaneRegistry.Find("no-such-lane"));
    }

    [Theory]
    [MemberData(nameof(LaneNames))]
    public void Every_lane_plans_a_verified_provider_and_a_model_key_through_the_planner(string name)
    {
        var (requests, errors) = Stage2Planner.Plan(Settings(name));

        Assert.Empty(errors);
        var request = Assert.Single(requests);
        Assert.Equal(name, request.Lane.Name);
        Assert.IsType<ProviderVerificationGate>(request.Preflight[0]);
        Assert.Matches("^[^/]+/", request.ModelKey);
        Assert.Equal(request.Lane.RequiresSandbox, request.RequireSandbox);
        Assert.True(request.Model is not null || request.Preflight.Count > 1, "a lane that does not fix the model must have a gate that decides it");
    }

    [Theory]
    [MemberData(nameof(LaneNames))]
    public void Only_a_lane_whose_provider_and_model_are_the_harness_s_own_may_run_without_a_sandbox(string name)
    {
        var lane = LaneRegistry.Find(name)!;
        var (requests, _) = Stage2Planner.Plan(Settings(name));
        Assert.Equal(requests[0].Launch.Kind != "fake", lane.RequiresSandbox);
    }

    [Theory]
    [MemberData(nameof(LaneNames))]
    public void A_model_the_harness_serves_is_never_recorded_under_a_real_provider_s_name(string name)
    {
        var (requests, _) = Stage2Planner.Plan(Settings(name));
        if (requests[0].Lane.Served is { } served)
        {
            Assert.StartsWith("ctoharness-", served.Requested.Provider);
            Assert.NotEmpty(served.Upstream);
        }
    }

    [Theory]
    [MemberData(nameof(LaneNames))]
    public void Every_lane_is_documented_in_the_readme_and_the_design(string name)
    {
        var lane = LaneRegistry.Find(name)!;
        Assert.False(string.IsNullOrWhiteSpace(lane.Summary));
        Assert.Contains($"| `{name}` |", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "design.md")));
        Assert.Contains($"| `{name}` |", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")));
    }

    [Fact]
    public void An_unknown_lane_is_a_configuration_error_listing_every_lane()
    {
        var (requests, errors) = Stage2Planner.Plan(Settings("case-nope"));

        Assert.Empty(requests);
        var error = Assert.Single(errors);
        Assert.Equal("CTOH002", error.Code);
        Assert.All(LaneRegistry.Names, lane => Assert.Contains(lane, error.Message));
    }
}
