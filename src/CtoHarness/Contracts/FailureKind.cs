namespace CtoHarness.Contracts;

/// <summary>
/// The closed failure taxonomy of docs/design.md: every non-passing run ends in exactly one of these.
/// The code, reason and marker are part of the public contract and never change meaning.
/// </summary>
public sealed record FailureKind(string Code, RunStatus Status, string Reason, string? Marker)
{
    public static readonly FailureKind ProviderUnavailable =
        new(Diagnostics.ProviderUnavailable.Code, RunStatus.Blocked, "provider unavailable", "backend/provider-unavailable.txt");

    public static readonly FailureKind ProviderUnverified =
        new(Diagnostics.ProviderUnverified.Code, RunStatus.Blocked, "provider unverified", "backend/provider-unverified.txt");

    public static readonly FailureKind SandboxUnavailable =
        new(Diagnostics.SandboxUnavailable.Code, RunStatus.Blocked, "sandbox unavailable", "sandbox-unavailable.txt");

    public static readonly FailureKind ModelNotAdmitted =
        new(Diagnostics.ModelNotAdmitted.Code, RunStatus.Blocked, "provider model not admitted", "backend/provider-model-not-admitted.txt");

    public static readonly FailureKind LocalConfigUnavailable =
        new(Diagnostics.LocalConfigUnavailable.Code, RunStatus.Blocked, "provider unavailable", "backend/provider-local-config-unavailable.txt");

    public static readonly FailureKind ModelUnconfigurable =
        new(Diagnostics.ModelUnconfigurable.Code, RunStatus.Blocked, "provider unavailable", "backend/provider-model-unconfigurable.txt");

    public static readonly FailureKind ModelEndpointUnavailable =
        new(Diagnostics.ModelEndpointUnavailable.Code, RunStatus.Blocked, "provider unavailable", "backend/model-endpoint-unavailable.txt");

    public static readonly FailureKind FixtureInvalid =
        new(Diagnostics.FixtureInvalid.Code, RunStatus.Blocked, "fixture invalid", "fixture-invalid.txt");

    public static readonly FailureKind ProviderTimeout =
        new(Diagnostics.ProviderTimeout.Code, RunStatus.Fail, "provider timeout", "backend/provider-timeout.txt");

    public static readonly FailureKind AgentProtocol =
        new(Diagnostics.AgentProtocol.Code, RunStatus.Fail, "case agent result protocol failed", "backend/provider-agent-protocol.txt");

    public static readonly FailureKind ProviderFailed =
        new(Diagnostics.ProviderFailed.Code, RunStatus.Fail, "provider failed", "backend/provider-failed.txt");

    public static readonly FailureKind ModelEndpointFailed =
        new(Diagnostics.ModelEndpointFailed.Code, RunStatus.Fail, "provider unavailable", "backend/model-endpoint-unavailable.txt");

    public static readonly FailureKind ModelUnknown =
        new(Diagnostics.ModelUnknown.Code, RunStatus.Fail, "provider model unknown", "backend/provider-model-unknown.txt");

    public static readonly FailureKind ModelBudgetExceeded =
        new(Diagnostics.ModelBudgetExceeded.Code, RunStatus.Fail, "model budget exceeded", "backend/model-budget-exceeded.txt");

    public static readonly FailureKind ReplayDiverged =
        new(Diagnostics.ReplayDiverged.Code, RunStatus.Fail, "model replay diverged", "backend/model-replay-diverged.txt");

    public static readonly FailureKind SandboxLimit =
        new(Diagnostics.SandboxLimit.Code, RunStatus.Fail, "sandbox limit exceeded", "sandbox-limit.txt");

    public static readonly FailureKind TestsTampered =
        new(Diagnostics.TestsTampered.Code, RunStatus.Fail, "tests tampered", null);

    public static readonly FailureKind NoChanges =
        new(Diagnostics.NoChanges.Code, RunStatus.Fail, "no changes", null);

    public static readonly FailureKind TestsFailed =
        new(Diagnostics.TestsFailed.Code, RunStatus.Fail, "tests failed", null);

    public static readonly FailureKind HarnessError =
        new(Diagnostics.HarnessError.Code, RunStatus.Error, "harness error", "harness-error.txt");

    public static readonly FailureKind Cancelled =
        new(Diagnostics.Cancelled.Code, RunStatus.Cancelled, "cancelled", null);

    public static IReadOnlyList<FailureKind> All { get; } =
    [
        ProviderUnavailable, ProviderUnverified, SandboxUnavailable, ModelNotAdmitted, LocalConfigUnavailable, ModelUnconfigurable, ModelEndpointUnavailable, FixtureInvalid,
        ProviderTimeout, AgentProtocol, ProviderFailed, ModelEndpointFailed, ModelUnknown, ModelBudgetExceeded, ReplayDiverged, SandboxLimit, TestsTampered, NoChanges, TestsFailed, HarnessError, Cancelled,
    ];
}
