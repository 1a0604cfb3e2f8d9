using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Preflight;

namespace CtoHarness.Models;

/// <summary>
/// The model gate of the case lane: the requested pair must be exactly an admitted pair, and a local pair
/// needs an absolute http(s) base URL. On success it decides the configuration Case gets.
/// </summary>
public sealed class ModelAdmissionGate(ModelRequest request) : IPreflightGate
{
    public PreflightBlock? Check(PreflightContext context)
    {
        var model = context.ModelRecord;
        model.Requested = string.IsNullOrWhiteSpace(request.Provider) || string.IsNullOrWhiteSpace(request.Model)
            ? null
            : new ModelPair { Provider = request.Provider, Model = request.Model };
        var admittedList = request.Admitted.Count == 0 ? "(none)" : string.Join(", ", request.Admitted.Select(a => a.Pair + (a.Local ? " (local)" : "")));
        var requested = $"{request.Provider ?? "(unset)"}/{request.Model ?? "(unset)"}";

        if (string.IsNullOrWhiteSpace(request.Provider) || string.IsNullOrWhiteSpace(request.Model))
        {
            model.Admitted = false;
            return NotAdmitted("CTO_HARNESS_CASE_MODEL_PROVIDER and CTO_HARNESS_CASE_MODEL (or CtoHarnessCaseModelProvider and CtoHarnessCaseModel) are both required", requested, admittedList);
        }
        // Exact, case-sensitive match: no fuzzy or partial matching of model names.
        var admitted = request.Admitted.FirstOrDefault(a => a.Provider == request.Provider && a.Model == request.Model);
        if (admitted is null)
        {
            model.Admitted = false;
            return NotAdmitted($"'{requested}' is not an admitted pair", requested, admittedList);
        }
        model.Admitted = true;
        model.Local = admitted.Local;

        var (configured, block) = Configure(admitted, request, requested);
        if (block is not null)
        {
            return block;
        }
        model.BaseUrl = configured!.BaseUrl;
        model.Configured = new ModelPair { Provider = configured!.Provider, Model = configured.Model };
        context.Model = configured;
        return null;
    }

    /// <summary>
    /// The configuration Case gets for an admitted pair, or why the pair cannot be configured: every pair is declared
    /// in models.json under a provider Case authenticates, with its endpoint (the relay replaces it with its own
    /// address), so Case never depends on its built-in model list or on any login.
    /// </summary>
    private static (CaseModel? Model, PreflightBlock? Block) Configure(AdmittedModel admitted, ModelRequest request, string requested)
    {
        if (!ModelApis.IsSupported(admitted.Api))
        {
            return (null, Unconfigurable(admitted, requested, $"its API style '{admitted.Api}' is not one the relay serves ({string.Join(", ", ModelApis.Supported)})"));
        }
        var configured = new CaseModel(admitted.EffectiveCaseProvider, admitted.Model)
        {
            Api = admitted.Api,
            Local = admitted.Local,
            KeyVariable = ModelApis.CaseKeyVariableOf(admitted.Api),
            ContextWindow = admitted.ContextWindow ?? 131072,
            MaxTokens = admitted.MaxTokens ?? 8192,
            TrustedCertificate = admitted.TrustedCertificate,
            Prices = admitted.Prices,
        };
        if (admitted.Local)
        {
            if (!IsAbsoluteHttpUrl(request.LocalBaseUrl))
            {
                var problem = string.IsNullOrWhiteSpace(request.LocalBaseUrl)
                    ? "CTO_HARNESS_CASE_LOCAL_BASE_URL (or CtoHarnessCaseLocalBaseUrl) is not set"
                    : $"CTO_HARNESS_CASE_LOCAL_BASE_URL '{request.LocalBaseUrl}' is not an absolute http(s) URL";
                return (null, new PreflightBlock(FailureKind.LocalConfigUnavailable, $"the local pair {admitted.Pair} needs a base URL: {problem}",
                    $"requested: {requested}\nlocal: true\nbaseUrl: {request.LocalBaseUrl ?? "(unset)"}\nproblem: {problem}\n"));
            }
            return (configured with { BaseUrl = request.LocalBaseUrl, KeyValue = CaseModel.PlaceholderKey }, null);
        }
        var endpoint = admitted.BaseUrl ?? ModelApis.KnownEndpointOf(admitted.Api);
        if (!IsAbsoluteHttpUrl(endpoint))
        {
            return (null, Unconfigurable(admitted, requested, $"it names no endpoint an absolute http(s) URL (BaseUrl '{endpoint ?? "(unset)"}')"));
        }
        if (admitted.KeyVariable is not { Length: > 0 } variable)
        {
            return (null, Unconfigurable(admitted, requested, "it names no key variable (KeyVariable)"));
        }
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } key)
        {
            return (null, Unconfigurable(admitted, requested, $"its key variable {variable} is not set in the build's environment"));
        }
        return (configured with { BaseUrl = endpoint, KeyValue = key, KeyIsSecret = true }, null);
    }

    private static PreflightBlock Unconfigurable(AdmittedModel admitted, string requested, string problem) =>
        new(FailureKind.ModelUnconfigurable, $"the hosted pair {admitted.Pair} cannot be configured: {problem}",
            $"requested: {requested}\nlocal: {admitted.Local.ToString().ToLowerInvariant()}\napi: {admitted.Api}\nbaseUrl: {admitted.BaseUrl ?? "(unset)"}\nkeyVariable: {admitted.KeyVariable ?? "(unset)"}\nproblem: {problem}\n");

    private static bool IsAbsoluteHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host);

    private static PreflightBlock NotAdmitted(string problem, string requested, string admittedList) =>
        new(FailureKind.ModelNotAdmitted, problem, $"requested: {requested}\nadmitted: {admittedList}\nproblem: {problem}\n");
}
