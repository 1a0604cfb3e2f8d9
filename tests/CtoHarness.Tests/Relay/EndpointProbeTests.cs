using System.Text.Json.Nodes;
using CtoHarness.Loopback;
using CtoHarness.Protocol;
using CtoHarness.Relay;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Relay;

/// <summary>The preflight against an endpoint written in the test: its model list, in each style's place for it.</summary>
[Trait("Layer", "Unit")]
public sealed class EndpointProbeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static LoopbackServer Listing(string model, List<string> asked) => new("test-models", context =>
    {
        lock (asked)
        {
            asked.Add($"{context.Request.Url!.AbsolutePath} {context.Request.Headers["anthropic-version"]}".Trim());
        }
        LoopbackServer.Answer(context.Response, 200, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["id"] = model }) });
    });

    [Fact]
    public void A_list_that_must_name_the_model_and_does_not_is_a_problem_and_a_hosted_list_need_not()
    {
        var asked = new List<string>();
        using var server = Listing("claude-sonnet-4-6-20260101", asked);

        Assert.Contains("does not serve the model 'claude-sonnet-4-6'", EndpointProbe.Problem(new Uri(server.Origin), "claude-sonnet-4-6", Bound, api: ApiStyles.AnthropicMessages));
        Assert.Null(EndpointProbe.Problem(new Uri(server.Origin), model: null, Bound, api: ApiStyles.AnthropicMessages));
        Assert.Null(EndpointProbe.Problem(new Uri($"{server.Origin}/v1"), "claude-sonnet-4-6-20260101", Bound));
        Assert.Equal(["/v1/models 2023-06-01", "/v1/models 2023-06-01", "/v1/models"], asked);
    }

    [Fact]
    public void An_endpoint_nobody_listens_on_is_a_problem_whatever_the_list_must_name()
    {
        var port = LoopbackPort.Free();
        Assert.Contains("cannot be reached", EndpointProbe.Problem(new Uri($"http://127.0.0.1:{port}/v1"), model: null, Bound));
    }
}
