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

public sealed class PreflightContext(ProviderLaunch launch, CaseModel? model, Stage2Report report, RunDirectory run)
{
    public ProviderLaunch Launch { get; set; } = launch;
    /// <summary>The configuration Case will get; the case lane's model gate decides it.</summary>
    public CaseModel? Model { get; set; } = model;
    public Stage2Report Report { get; } = report;
    public RunDirectory Run { get; } = run;
}

public sealed record PreflightBlock(FailureKind Kind, string Detail, string MarkerText);
