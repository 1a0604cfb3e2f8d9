using CtoHarness.Contracts;
using CtoHarness.Protocol;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>
/// The real `ca` against the scripted model in each API style Case speaks (chat completions, Anthropic Messages through
/// Case's own `anthropic` provider, OpenAI Responses): the relay reads every one of them as well as chat completions,
/// and every misbehaviour is classified the same way whatever the style.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class ApiStyleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Styles() => [.. ApiStyles.All];

    private Stage2Report Ended(Stage2Request request, FailureKind kind, params string[] inMarker)
    {
        var report = ReportAssert.Ended(Stage2Runner.Run(request), kind);
        Assert.Empty(RunProcesses.Surviving(report));
        var marker = File.ReadAllText(Path.Combine(report.RunDirectory, kind.Marker!));
        Assert.All(inMarker, text => Assert.Contains(text, marker));
        return report;
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void A_scripted_pass_shows_every_call_answered_each_agent_named_tokens_tool_calls_and_result_blocks(string api)
    {
        var result = Stage2Runner.Run(RealCa.Scripted(_temp.Combine("runs"), api: api));
        var report = ReportAssert.Valid(result.ReportPath);

        Assert.True(report.Status == RunStatus.Pass, $"{api}: {report.FailureReason}: {report.Message}");
        Assert.Empty(RunProcesses.Surviving(report));
        var traffic = report.Model.Traffic!;
        Assert.Equal((9, 0), (traffic.Calls, traffic.Errors));
        Assert.Equal(new Dictionary<string, int> { ["implementer"] = 4, ["reviewer"] = 2, ["closer"] = 2, ["retrospective"] = 1 },
            traffic.PerAgent.ToDictionary(p => p.Key, p => p.Value.Calls));
        Assert.True(traffic.PromptTokens > 9 * 1000 && traffic.CompletionTokens > 9, $"{traffic.PromptTokens} prompt, {traffic.CompletionTokens} completion tokens");
        var exchanges = File.ReadAllLines(Path.Combine(report.RunDirectory, traffic.ExchangesLog))
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<ModelExchange>(line, CtoHarness.Evidence.JsonFiles.Options)!).ToList();
        Assert.All(exchanges, e => Assert.True(e.Answered && e.Api == api && e.PromptTokens > 0 && e.CompletionTokens > 0, $"call {e.Sequence}: {e.Describe()}"));
        Assert.Equal(["read", "write", "bash"], exchanges.Where(e => e.Agent == "implementer").OrderBy(e => e.Sequence).Take(3).Select(e => e.ToolCalls.Single()));
        Assert.Equal(4, exchanges.Count(e => e.ResultBlock == true));
        // The run page's transcript reads the same style: the tool calls with their arguments, the result blocks.
        var page = File.ReadAllText(Path.Combine(report.RunDirectory, "report.html"));
        Assert.Contains("tool call <code>write</code>", page);
        Assert.Contains("strings.py", page);
        Assert.Contains("import re", page);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(page, "<p>AGENT_RESULT block:</p>"));
        Assert.Contains("# Implementer", page);
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void An_answer_without_a_result_block_is_the_protocol_failure_quoting_its_end(string api)
    {
        Ended(RealCa.Scripted(_temp.Combine("runs"), "no-result-implementer", api: api), FailureKind.AgentProtocol,
            "I looked at the task as the implementer and I am done.", "no valid AGENT_RESULT block");
        Ended(RealCa.Scripted(_temp.Combine("runs"), "no-result-reviewer", api: api), FailureKind.AgentProtocol,
            "I looked at the task as the reviewer and I am done.");
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void Refusals_and_failures_of_the_endpoint_are_classified_as_for_chat_completions(string api)
    {
        var unauthorised = Ended(RealCa.Scripted(_temp.Combine("runs"), "http-401", api: api), FailureKind.ModelEndpointUnavailable, "failure: HTTP 401");
        Assert.Contains("HTTP 401", unauthorised.Message);
        Ended(RealCa.Scripted(_temp.Combine("runs"), "http-500", api: api), FailureKind.ModelEndpointUnavailable, "failure: HTTP 500");
        // Overloaded (Anthropic's 529): the marker quotes the API's own error type and message.
        Ended(RealCa.Scripted(_temp.Combine("runs"), "http-529", api: api), FailureKind.ModelEndpointUnavailable, "failure: HTTP 529",
            api == ApiStyles.AnthropicMessages ? "the API's error overloaded_error: Overloaded" : "the API's error invalid_request_error: Overloaded");
        Ended(RealCa.Scripted(_temp.Combine("runs"), "drop-stream", api: api), FailureKind.ModelEndpointUnavailable, "answeredCalls: 0");
        Ended(RealCa.Scripted(_temp.Combine("runs"), "vanish", api: api), FailureKind.ModelEndpointFailed, "answeredCalls: 3");
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void A_call_budget_and_a_token_budget_stop_the_run(string api)
    {
        Ended(RealCa.Scripted(_temp.Combine("runs"), api: api) with { ModelMaxCalls = 3 }, FailureKind.ModelBudgetExceeded, "3 of 3 calls");
        // The first call alone reports some 7,400 prompt tokens in every style: the third call is refused.
        var report = Ended(RealCa.Scripted(_temp.Combine("runs"), api: api) with { ModelMaxTokens = 10_000 }, FailureKind.ModelBudgetExceeded, "CtoHarnessModelMaxTokens");
        Assert.Equal(2, report.Model.Traffic!.Calls - report.Model.Traffic.Errors);
    }
}
