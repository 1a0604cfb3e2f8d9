using CtoHarness.Backend;
using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

/// <summary>A check that runs before any provider process starts; a block ends the run as <c>blocked</c>.</summary>
public interface IPreflightGate
{
    /// <summary>Returns null to let the run go on, or the block with the text of its marker file.</summary>
    PreflightBlock? Check(ProviderLaunch launch, Stage2Report report);
}

public sealed record PreflightBlock(FailureKind Kind, string Detail, string MarkerText);
