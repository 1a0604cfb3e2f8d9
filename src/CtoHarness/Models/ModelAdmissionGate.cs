using CtoHarness.Backend;
using CtoHarness.Evidence;
using CtoHarness.Stage2;

namespace CtoHarness.Models;

/// <summary>
/// The model gate of the case lane: the requested pair must be exactly an admitted pair, and a local pair
/// needs an absolute http(s) base URL. On success it decides the configuration Case gets.
/// </summary>
public sealed class ModelAdmissionGate(ModelRequest request) : IPreflightGate
{
    public PreflightBlock? Check(PreflightContext context)
    {
        var model = context.Report.Model;
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

        CaseModel configured;
        if (admitted.Local)
        {
            if (!IsAbsoluteHttpUrl(request.LocalBaseUrl))
            {
                var problem = string.IsNullOrWhiteSpace(request.LocalBaseUrl)
                    ? "CTO_HARNESS_CASE_LOCAL_BASE_URL (or CtoHarnessCaseLocalBaseUrl) is not set"
                    : $"CTO_HARNESS_CASE_LOCAL_BASE_URL '{request.LocalBaseUrl}' is not an absolute http(s) URL";
                return new PreflightBlock(FailureKind.LocalConfigUnavailable, $"the local pair {admitted.Pair} needs a base URL: {problem}",
                    $"requested: {requested}\nlocal: true\nbaseUrl: {request.LocalBaseUrl ?? "(unset)"}\nproblem: {problem}\n");
            }
            model.BaseUrl = request.LocalBaseUrl;
            configured = new CaseModel(admitted.EffectiveCaseProvider, admitted.Model)
            {
                BaseUrl = request.LocalBaseUrl,
                Api = admitted.Api,
                KeyVariable = "OPENAI_API_KEY",
                KeyValue = CaseModel.PlaceholderKey,
            };
        }
        else
        {
            var key = admitted.KeyVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : null;
            configured = new CaseModel(admitted.EffectiveCaseProvider, admitted.Model)
            {
                Api = admitted.Api,
                Upstream = admitted.BaseUrl,
                KeyVariable = string.IsNullOrEmpty(key) ? null : admitted.KeyVariable,
                KeyValue = string.IsNullOrEmpty(key) ? null : key,
                KeyIsSecret = true,
            };
        }
        model.Configured = new ModelPair { Provider = configured.Provider, Model = configured.Model };
        context.Model = configured;
        return null;
    }

    private static bool IsAbsoluteHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host);

    private static PreflightBlock NotAdmitted(string problem, string requested, string admittedList) =>
        new(FailureKind.ModelNotAdmitted, problem, $"requested: {requested}\nadmitted: {admittedList}\nproblem: {problem}\n");
}
