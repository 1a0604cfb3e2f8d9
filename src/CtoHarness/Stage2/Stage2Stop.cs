using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>Ends a run early with a taxonomy failure; the runner turns it into the report and marker.</summary>
internal sealed class Stage2Stop(FailureKind kind, string detail, string? markerText = null) : Exception(detail)
{
    public FailureKind Kind { get; } = kind;
    public string? MarkerText { get; } = markerText;
}
