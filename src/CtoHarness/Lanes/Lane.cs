using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Preflight;
using CtoHarness.Settings;

namespace CtoHarness.Lanes;

/// <summary>
/// A lane: which provider a run starts, what its model calls are answered by, and what the lane's own settings
/// must be. Lanes are found by name in <see cref="LaneRegistry"/>; the runner only ever calls these members.
/// A configured lane (its scenario, its cassette) is an immutable copy of the registered one.
/// </summary>
public abstract record Lane(string Name)
{
    /// <summary>One line for the README's table of lanes.</summary>
    public abstract string Summary { get; }

    /// <summary>
    /// Whether a run must have a sandbox when <c>CtoHarnessRequireSandbox</c> is empty: every lane whose provider or
    /// model is not the harness's own code.
    /// </summary>
    public virtual bool RequiresSandbox => true;

    /// <summary>Whether the lane's provider talks to a model (and so may cost money); false for the fake.</summary>
    public virtual bool TalksToModel => true;

    /// <summary>Checks the lane's own settings (adding coded errors) and says how its runs start.</summary>
    public abstract LanePlan Plan(Stage2Settings settings, LaneInputs inputs, ICollection<ConfigurationError> errors);

    /// <summary>The plan for one fixture: a lane whose model depends on the fixture (a cassette beside it) specialises it here.</summary>
    public virtual LanePlan ForFixture(LanePlan plan, string fixtureDirectory, Stage2Settings settings, ICollection<ConfigurationError> errors) => plan;

    /// <summary>
    /// The lane and launch of one attempt of a pair (1-based): a lane whose test scenario fails chosen attempts
    /// (<c>fail-attempts:1,3</c>) picks that attempt's behaviour here.
    /// </summary>
    public virtual (Lane Lane, ProviderLaunch Launch) ForAttempt(ProviderLaunch launch, int attempt) => (this, launch);

    /// <summary>For a lane whose model the harness serves: the pair report.json records as requested, and the upstream's name.</summary>
    public virtual ServedModel? Served => null;

    /// <summary>
    /// Starts what the run's model calls are forwarded to (behind the relay); null when the provider talks to no model.
    /// Whatever it starts is stopped when the result is disposed.
    /// </summary>
    public abstract ModelUpstream? StartUpstream(UpstreamStart start);

    /// <summary>A lane shows as its name wherever it is written (logs, reports, test names).</summary>
    public sealed override string ToString() => Name;
}

/// <summary>What every lane's plan may use, decided once by the planner.</summary>
public sealed record LaneInputs(string LockFile);

/// <summary>How the runs of a lane start: the provider, the checks before it, and the model when the lane fixes it.</summary>
/// <param name="Model">The configuration Case gets when the lane fixes it; null when a preflight gate decides it.</param>
/// <param name="ModelKey">The requested model as it identifies a run for resume (<c>provider/model</c>).</param>
public sealed record LanePlan(Lane Lane, ProviderLaunch Launch, IReadOnlyList<IPreflightGate> Preflight, CaseModel? Model, string ModelKey);

public sealed record ServedModel(ModelPair Requested, string Upstream);

public sealed record UpstreamStart(Fixture Fixture, RunDirectory Run, CaseModel Model, string CaseProfile);
