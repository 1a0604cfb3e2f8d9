using CtoHarness.Admission;
using CtoHarness.Attempts;
using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Fake;
using CtoHarness.Settings;

namespace CtoHarness.Lanes;

/// <summary>
/// The default lane: the fake provider built from this repository plays a scenario (by default it applies the
/// fixture's solution), so the whole chain runs on any machine. It talks to no model.
/// </summary>
public sealed record FakeProviderLane() : Lane(Id)
{
    public const string Id = "fake";

    public override string Summary => "the fake provider shipped in the package (scenario: `CtoHarnessFakeScenario`); no model, no key";

    /// <summary>Its provider is the harness's own code: a sandbox is used when there is one, never required.</summary>
    public override bool RequiresSandbox => false;

    public override bool TalksToModel => false;

    public override LanePlan Plan(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors)
    {
        var scenario = string.IsNullOrWhiteSpace(settings.FakeScenario) ? FakeScenario.Fix : settings.FakeScenario.Trim();
        if (!FakeScenario.All.Contains(scenario) && FailingAttempts.Parse(scenario) is null)
        {
            errors.Add(new(Diagnostics.FakeScenarioUnknown.Code, $"CtoHarnessFakeScenario (or CTO_HARNESS_FAKE_CASE_SCENARIO) '{scenario}' is not a fake scenario; accepted: {string.Join(", ", FakeScenario.All)}, {FailingAttempts.Prefix}N[,N…]."));
        }
        if (string.IsNullOrWhiteSpace(settings.FakeProviderAssembly))
        {
            errors.Add(new(Diagnostics.NoFakeProvider.Code, "CtoHarnessFakeProviderAssembly is not set; the package sets it beside the tasks assembly (fake-case/CtoHarness.FakeCase.dll)."));
        }
        var assembly = settings.FakeProviderAssembly ?? "";
        var host = string.IsNullOrWhiteSpace(settings.DotnetHostPath) ? DotnetHost.Locate() : settings.DotnetHostPath;
        // No debugger pipes or diagnostic sockets from the fake's runtime in the run's TMPDIR.
        var environment = new Dictionary<string, string> { [FakeScenario.Variable] = scenario, ["DOTNET_EnableDiagnostics"] = "0" };
        if (Environment.GetEnvironmentVariable(FakeScenario.FloodBytesVariable) is { Length: > 0 } floodBytes)
        {
            environment[FakeScenario.FloodBytesVariable] = floodBytes;
        }
        // The fake is admitted like any provider: its lock is produced by the package build, beside it.
        var lockFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(assembly))!, ProviderLock.DefaultFileName);
        var launch = new ProviderLaunch("fake", assembly, lockFile) { DotnetHost = host, LaneEnvironment = environment, ReceivesSolution = true };
        return new LanePlan(this, launch, [new ProviderVerificationGate(requestedBinary: null)], CaseModel.Fake, $"{CaseModel.Fake.Provider}/{CaseModel.Fake.Model}");
    }

    /// <summary>Under <c>fail-attempts:</c> the listed attempts play <c>noop</c> (no change), the others <c>fix</c>.</summary>
    public override (Lane Lane, ProviderLaunch Launch) ForAttempt(ProviderLaunch launch, int attempt)
    {
        if (FailingAttempts.Parse(launch.LaneEnvironment.GetValueOrDefault(FakeScenario.Variable)) is not { } failing)
        {
            return (this, launch);
        }
        var environment = new Dictionary<string, string>(launch.LaneEnvironment) { [FakeScenario.Variable] = failing.Fails(attempt) ? FakeScenario.Noop : FakeScenario.Fix };
        return (this, launch with { LaneEnvironment = environment });
    }

    public override ModelUpstream? StartUpstream(UpstreamStart start) => null;
}
