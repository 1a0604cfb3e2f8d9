using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;

namespace CtoHarness.Preflight;

/// <summary>A check that runs before any provider process starts; a block ends the run as <c>blocked</c>.</summary>
public interface IPreflightGate
{
    /// <summary>Returns null to let the run go on (possibly with a changed launch), or the block with its marker text.</summary>
    PreflightBlock? Check(PreflightContext context);
}

/// <summary>
/// What the gates of one run decide, gate after gate: the launch (the verified copy), Case's model configuration, and
/// what report.json will say of the provider and the model (each gate writes only its own part, also when it blocks).
/// </summary>
public sealed class PreflightContext(ProviderLaunch launch, CaseModel? model, RunDirectory run)
{
    public ProviderLaunch Launch { get; set; } = launch;
    /// <summary>The configuration Case will get; the case lane's model gate decides it.</summary>
    public CaseModel? Model { get; set; } = model;
    public RunDirectory Run { get; } = run;
    public ProviderSection ProviderRecord { get; } = new() { Kind = launch.Kind, ExecutablePath = launch.ExecutablePath };
    public ModelSection ModelRecord { get; } = new();
}

public sealed record PreflightBlock(FailureKind Kind, string Detail, string MarkerText);
