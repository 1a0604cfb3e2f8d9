using CtoHarness.Backend;
using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>
/// What happened on the wire decides before Case's own words (CASE-CONTRACT: Case logs an unreachable endpoint
/// exactly like an answer without a result block, and exits 0 either way). The failing agent's calls decide:
/// an endpoint that could not be reached, refused the caller or the model, or failed is "provider unavailable"
/// (blocked when no call ever got an answer); a call the relay refused is a spent budget; a model that answered
/// without a result block is the protocol failure, with the end of its answer quoted. Case's
/// <c>Fatal: Model not found</c> has its own reason: the harness declares every pair to Case, so it means a harness defect.
/// </summary>
public static class WireVerdict
{
    private const int QuotedChars = 1500;

    public static ProviderOutcome Judge(ProviderOutcome outcome, CaseOutputObserver output, IReadOnlyList<ModelExchange> exchanges, string upstream)
    {
        if (outcome.Failure is null || outcome.Failure == FailureKind.ProviderTimeout || outcome.Failure == FailureKind.ProviderUnavailable)
        {
            return outcome;
        }
        if (output.FatalMessage is { } fatal && fatal.Contains("Model not found", StringComparison.Ordinal))
        {
            return new("model-unknown", FailureKind.ModelUnknown,
                $"Case did not find the model the harness declared to it ('{fatal}'): every admitted pair is declared in models.json, so this is a harness defect; report it with this run directory")
                { MarkerText = $"fatal: {fatal}\nupstream: {upstream}\n" };
        }

        var agent = output.FailedAgent;
        var calls = exchanges.Where(e => agent is null || e.Agent == agent).ToList();
        var last = (calls.Count > 0 ? calls : exchanges).LastOrDefault();
        if (last is { RefusedByBudget: true })
        {
            return new("model-budget-exceeded", FailureKind.ModelBudgetExceeded, $"the relay refused call {last.Sequence} ({last.Agent}): {last.TransportError}")
            {
                MarkerText = $"budget: {last.TransportError}\ncalls: {exchanges.Count(e => !e.RefusedByBudget)}\ntokens: {exchanges.Sum(e => (e.PromptTokens ?? 0) + (e.CompletionTokens ?? 0))}\n",
            };
        }
        if (last is { EndpointFailed: true })
        {
            var answered = exchanges.Count(e => e.Answered);
            var kind = answered == 0 ? FailureKind.ModelEndpointUnavailable : FailureKind.ModelEndpointFailed;
            return new("model-endpoint-unavailable", kind,
                $"the model endpoint {upstream} failed the {last.Agent}'s call {last.Sequence}: {last.Describe()} ({answered} call(s) of the run had an answer)")
            {
                MarkerText = $"endpoint: {upstream}\ncall: {last.Sequence} ({last.Agent} {last.Method} {last.Path})\nfailure: {last.Describe()}\n" +
                             $"answeredCalls: {answered}\nfailedCalls: {exchanges.Count(e => e.EndpointFailed)}\n",
            };
        }
        if (outcome.Failure == FailureKind.AgentProtocol && calls.LastOrDefault(e => e.ResultBlock == false) is { } unanswered)
        {
            var tail = unanswered.TextTail.Length > QuotedChars ? unanswered.TextTail[^QuotedChars..] : unanswered.TextTail;
            return outcome with
            {
                MarkerText = $"call: {unanswered.Sequence} ({unanswered.Agent}), finish reason {unanswered.FinishReason ?? "(none)"}\n" +
                             $"the end of the model's last answer (no valid AGENT_RESULT block):\n---\n{tail}\n---\n",
            };
        }
        return outcome;
    }
}
