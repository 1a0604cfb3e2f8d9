namespace CtoHarness.Contracts;

/// <summary>
/// The closed failure taxonomy of docs/design.md: every non-passing run ends in exactly one of these.
/// The code, reason and marker are part of the public contract and never change meaning.
/// </summary>
public sealed record FailureKind(string Code, RunStatus Status, string Reason, string? Marker)
{
    public static readonly FailureKind ProviderUnavailable =
        new("CTOH101", RunStatus.Blocked, "provider unavailable", "backend/provider-unavailable.txt");

    public static readonly FailureKind ProviderUnverified =
        new("CTOH102", RunStatus.Blocked, "provider unverified", "backend/provider-unverified.txt");

    public static readonly FailureKind SandboxUnavailable =
        new("CTOH103", RunStatus.Blocked, "sandbox unavailable", "sandbox-unavailable.txt");

    public static readonly FailureKind ModelNotAdmitted =
        new("CTOH201", RunStatus.Blocked, "provider model not admitted", "backend/provider-model-not-admitted.txt");

    public static readonly FailureKind LocalConfigUnavailable =
        new("CTOH202", RunStatus.Blocked, "provider unavailable", "backend/provider-local-config-unavailable.txt");

    public static readonly FailureKind ModelUnconfigurable =
        new("CTOH204", RunStatus.Blocked, "provider unavailable", "backend/provider-model-unconfigurable.txt");

    public static readonly FailureKind ModelEndpointUnavailable =
        new("CTOH203", RunStatus.Blocked, "provider unavailable", "backend/model-endpoint-unavailable.txt");

    public static readonly FailureKind FixtureInvalid =
        new("CTOH401", RunStatus.Blocked, "fixture invalid", "fixture-invalid.txt");

    public static readonly FailureKind ProviderTimeout =
        new("CTOH301", RunStatus.Fail, "provider timeout", "backend/provider-timeout.txt");

    public static readonly FailureKind AgentProtocol =
        new("CTOH302", RunStatus.Fail, "case agent result protocol failed", "backend/provider-agent-protocol.txt");

    public static readonly FailureKind ProviderFailed =
        new("CTOH303", RunStatus.Fail, "provider failed", "backend/provider-failed.txt");

    public static readonly FailureKind ModelEndpointFailed =
        new("CTOH304", RunStatus.Fail, "provider unavailable", "backend/model-endpoint-unavailable.txt");

    public static readonly FailureKind ModelUnknown =
        new("CTOH305", RunStatus.Fail, "provider model unknown", "backend/provider-model-unknown.txt");

    public static readonly FailureKind ModelBudgetExceeded =
        new("CTOH306", RunStatus.Fail, "model budget exceeded", "backend/model-budget-exceeded.txt");

    public static readonly FailureKind ReplayDiverged =
        new("CTOH307", RunStatus.Fail, "model replay diverged", "backend/model-replay-diverged.txt");

    public static readonly FailureKind SandboxLimit =
        new("CTOH308", RunStatus.Fail, "sandbox limit exceeded", "sandbox-limit.txt");

    public static readonly FailureKind TestsTampered =
        new("CTOH404", RunStatus.Fail, "tests tampered", null);

    public static readonly FailureKind NoChanges =
        new("CTOH402", RunStatus.Fail, "no changes", null);

    public static readonly FailureKind TestsFailed =
        new("CTOH403", RunStatus.Fail, "tests failed", null);

    public static readonly FailureKind HarnessError =
        new("CTOH501", RunStatus.Error, "harness error", "harness-error.txt");

    public static readonly FailureKind Cancelled =
        new("CTOH502", RunStatus.Cancelled, "cancelled", null);

    public static IReadOnlyList<FailureKind> All { get; } =
    [
        ProviderUnavailable, ProviderUnverified, SandboxUnavailable, ModelNotAdmitted, LocalConfigUnavailable, ModelUnconfigurable, ModelEndpointUnavailable, FixtureInvalid,
        ProviderTimeout, AgentProtocol, ProviderFailed, ModelEndpointFailed, ModelUnknown, ModelBudgetExceeded, ReplayDiverged, SandboxLimit, TestsTampered, NoChanges, TestsFailed, HarnessError, Cancelled,
    ];
}
