using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>One failure a step of the run observed; when a run has several, <see cref="Verdicts.Precedence"/> picks the one it ends with.</summary>
/// <param name="MarkerText">More for the failure's marker file (e.g. what the relay saw on the wire).</param>
internal sealed record Finding(FailureKind Kind, string Detail, string? MarkerText = null);

/// <summary>Ends the run's steps early (nothing after it can be trusted or done); the finding still competes by precedence.</summary>
internal sealed class Stage2Stop(Finding finding) : Exception(finding.Detail)
{
    public Stage2Stop(FailureKind kind, string detail, string? markerText = null) : this(new Finding(kind, detail, markerText))
    {
    }

    public Finding Finding { get; } = finding;
}
