using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Backend;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Models;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.RealCase;

/// <summary>
/// Every shipped default pair runs on the real `ca`, with both Case profiles: the local one against a local
/// endpoint, the hosted one against a stand-in of its upstream (plain http and https with a private CA) that
/// receives the real key while Case and the evidence only ever hold the placeholder. A pair that cannot be
/// configured is blocked before Case starts.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "RealCa")]
public sealed class AdmittedPairTests : IDisposable
{
    private const string KeyVariable = "CTOHARNESS_TEST_HOSTED_KEY";
    private readonly TempDirectory _temp = new();
    private readonly string _key = $"sk-live-{Guid.NewGuid():N}";

    public AdmittedPairTests() => Environment.SetEnvironmentVariable(KeyVariable, _key);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(KeyVariable, null);
        _temp.Dispose();
    }

    /// <summary>The shipped defaults (build/CtoHarness.Build.targets), with the hosted pair's endpoint and key variable for the test.</summary>
    private static AdmittedModel[] Defaults(string hostedBaseUrl, string? trustedCertificate = null) =>
    [
        new("qwen-local", "qwen3.6-35b-a3b") { Local = true, CaseProvider = "openai", Api = "openai-completions", ContextWindow = 131072, MaxTokens = 8192 },
        new("openai-codex", "gpt-5.5")
        {
            Local = false, BaseUrl = hostedBaseUrl, Api = "openai-completions", KeyVariable = KeyVariable,
            ContextWindow = 400000, MaxTokens = 128000, TrustedCertificate = trustedCertificate,
        },
    ];

    private Stage2Report Pass(Stage2Request request)
    {
        var result = Stage2Runner.Run(request);
        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason} ({report.ErrorCode}): {report.Message}");
        Assert.Empty(RunProcesses.Surviving(report));
        return report;
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("standard")]
    public void The_local_default_pair_passes_against_a_local_endpoint(string profile)
    {
        using var endpoint = new LocalEndpoint("qwen3.6-35b-a3b");

        var report = Pass(RealCa.Plan(_temp.Combine("runs"), "case-qwen-local", baseUrl: endpoint.BaseUrl, admitted: Defaults("http://127.0.0.1:9/v1"), profile: profile));

        Assert.Equal("qwen-local/qwen3.6-35b-a3b", report.Model.Requested!.ToString());
        Assert.Equal("openai/qwen3.6-35b-a3b", report.Model.Configured!.ToString());
        Assert.Equal(profile, report.Backend.Profile);
        Assert.Equal(profile == "standard", report.Model.Traffic!.PerAgent.ContainsKey("verifier"));
    }

    [Theory]
    [InlineData("tiny", false)]
    [InlineData("standard", false)]
    [InlineData("tiny", true)]
    public void The_hosted_default_pair_passes_with_the_real_key_only_upstream(string profile, bool https)
    {
        using var upstream = new LocalEndpoint("gpt-5.5");
        using var front = https ? new TlsFront(upstream.BaseUrl, _temp.Path) : null;
        var admitted = Defaults(front?.BaseUrl ?? upstream.BaseUrl, front?.CaPemPath);

        var report = Pass(RealCa.Plan(_temp.Combine("runs"), "case", provider: "openai-codex", model: "gpt-5.5", admitted: admitted, profile: profile));

        Assert.Equal("openai-codex/gpt-5.5", report.Model.Requested!.ToString());
        Assert.Equal("openai/gpt-5.5", report.Model.Configured!.ToString());
        Assert.Equal(front?.BaseUrl ?? upstream.BaseUrl, report.Model.Traffic!.Upstream);
        // Upstream: every call carried the real key.
        var expected = Sha256.OfBytes(Encoding.UTF8.GetBytes($"Bearer {_key}"));
        var seen = File.ReadAllLines(upstream.RequestsLog).Select(l => (string?)JsonNode.Parse(l)!["authorizationSha256"]).ToList();
        Assert.Equal(report.Model.Traffic.Calls, seen.Count);
        Assert.All(seen, sha => Assert.Equal(expected, sha));
        // Case: a placeholder in its configuration; its shell listed no variable holding the key.
        var models = JsonNode.Parse(File.ReadAllText(Path.Combine(report.RunDirectory, "backend", "pi-agent", "models.json")))!["providers"]!["openai"]!;
        Assert.Equal(CaseModel.PlaceholderKey, (string?)models["apiKey"]);
        Assert.Equal(400000, (int)models["models"]![0]!["contextWindow"]!);
        Assert.Equal(128000, (int)models["models"]![0]!["maxTokens"]!);
        var closer = File.ReadAllText(Directory.GetFiles(upstream.RequestsDirectory, "*-closer-1.json").Single());
        Assert.DoesNotContain(KeyVariable, closer);
        foreach (var file in Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(_key, File.ReadAllText(file));
        }
    }

    [Fact]
    public void A_hosted_anthropic_pair_passes_through_case_s_anthropic_provider_with_the_real_key_in_x_api_key()
    {
        using var upstream = new LocalEndpoint("claude-sonnet-4-6");
        AdmittedModel[] admitted =
        [
            new("anthropic", "claude-sonnet-4-6") { Local = false, BaseUrl = upstream.Origin, Api = "anthropic-messages", KeyVariable = KeyVariable },
        ];

        var report = Pass(RealCa.Plan(_temp.Combine("runs"), "case", provider: "anthropic", model: "claude-sonnet-4-6", admitted: admitted));

        Assert.Equal("anthropic/claude-sonnet-4-6", report.Model.Configured!.ToString());
        Assert.Equal(9, report.Model.Traffic!.Calls);
        var models = JsonNode.Parse(File.ReadAllText(Path.Combine(report.RunDirectory, "backend", "pi-agent", "models.json")))!["providers"]!["anthropic"]!;
        Assert.Equal("anthropic-messages", (string?)models["api"]);
        Assert.Equal(CaseModel.PlaceholderKey, (string?)models["apiKey"]);
        // Upstream: every call carried the real key, in Anthropic's header.
        var expected = Sha256.OfBytes(Encoding.UTF8.GetBytes(_key));
        Assert.All(File.ReadAllLines(upstream.RequestsLog).Select(l => (string?)JsonNode.Parse(l)!["authorizationSha256"]), sha => Assert.Equal(expected, sha));
        foreach (var file in Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(_key, File.ReadAllText(file));
        }
    }

    [Fact]
    public void A_dead_hosted_endpoint_is_probed_and_blocks_before_case_starts()
    {
        var port = CtoHarness.Loopback.LoopbackPort.Free();

        var result = Stage2Runner.Run(RealCa.Plan(_temp.Combine("runs"), "case", provider: "openai-codex", model: "gpt-5.5", admitted: Defaults($"http://127.0.0.1:{port}/v1")));

        var report = ReportAssert.Ended(result, FailureKind.ModelEndpointUnavailable);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.Null(report.Model.Traffic);
        Assert.Contains($"GET http://127.0.0.1:{port}/v1/models", report.Message);
    }

    [Fact]
    public void A_hosted_pair_whose_key_variable_is_unset_is_blocked_before_case_starts()
    {
        Environment.SetEnvironmentVariable(KeyVariable, null);

        var result = Stage2Runner.Run(RealCa.Plan(_temp.Combine("runs"), "case", provider: "openai-codex", model: "gpt-5.5", admitted: Defaults("https://api.openai.com/v1")));

        var report = ReportAssert.Ended(result, FailureKind.ModelUnconfigurable);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.Contains($"its key variable {KeyVariable} is not set", report.Message);
    }

    [Fact]
    public void A_pair_with_an_api_style_the_relay_cannot_serve_is_blocked_before_case_starts()
    {
        var admitted = new AdmittedModel("google", "gemini-x") { BaseUrl = "https://example.invalid/v1", Api = "google-generative-ai", KeyVariable = KeyVariable };

        var result = Stage2Runner.Run(RealCa.Plan(_temp.Combine("runs"), "case", provider: "google", model: "gemini-x", admitted: [admitted]));

        var report = ReportAssert.Ended(result, FailureKind.ModelUnconfigurable);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.Contains("'google-generative-ai' is not one the relay serves", report.Message);
    }

    [Fact]
    public void An_unknown_case_profile_is_a_configuration_error()
    {
        var (requests, errors) = CtoHarness.Configuration.Stage2Planner.Plan(new CtoHarness.Settings.Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = "case-scripted",
            RunsDirectory = _temp.Combine("runs"),
            CaseProfile = "huge",
        });

        Assert.Empty(requests);
        Assert.Equal("CTOH023", Assert.Single(errors).Code);
    }
}
