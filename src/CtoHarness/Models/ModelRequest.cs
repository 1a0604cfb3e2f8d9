namespace CtoHarness.Models;

/// <summary>What the case lane was asked to use (CTO_HARNESS_CASE_MODEL_PROVIDER / _MODEL / _LOCAL_BASE_URL) and what is admitted.</summary>
public sealed record ModelRequest(string? Provider, string? Model, string? LocalBaseUrl, IReadOnlyList<AdmittedModel> Admitted);
