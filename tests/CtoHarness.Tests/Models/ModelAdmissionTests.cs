using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Models;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Models;

[Collection(ProcessEnvironmentCollection.Name)]
[Trait("Layer", "Process")]
public sealed class ModelAdmissionTests : IDisposable
{
    private AdmittedModel[] Admitted =>
    [
        new("qwen-local", "qwen3.6-35b-a3b") { Local = true, CaseProvider = "openai" },
        new("openai-codex", "gpt-5.5") { KeyVariable = "OPENAI_API_KEY", BaseUrl = _hosted.BaseUrl },
    ];

    private readonly CaseSource _source = new();
    private readonly LocalEndpoint _endpoint = new();
    /// <summary>The hosted pair's endpoint: a hosted endpoint is probed before Case starts, so it must be there.</summary>
    private readonly LocalEndpoint _hosted = new("gpt-5.5");

    public void Dispose()
    {
        _source.Dispose();
        _endpoint.Dispose();
        _hosted.Dispose();
    }

    private (IReadOnlyList<Stage2Request> Requests, IReadOnlyList<ConfigurationError> Errors) Plan(string lane, string? provider, string? model, string? baseUrl,
        string? projectDirectory = null, string? runs = null, bool allowRunsInRepository = false, string? sandboxTool = null) =>
        Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = lane,
            RunsDirectory = runs ?? Path.Combine(_source.Temp, "runs"),
            TimeoutSeconds = "120",
            CaseLockFile = _source.LockFile,
            FakeProviderAssembly = TestPaths.FakeProviderAssembly,
            CaseModelProvider = provider,
            CaseModel = model,
            CaseLocalBaseUrl = baseUrl,
            AdmittedModels = Admitted,
            SandboxReadOnly = CaseSource.StandInReadOnly,
            ProjectDirectory = projectDirectory,
            AllowRunsDirectoryInRepository = allowRunsInRepository,
            SandboxTool = sandboxTool,
            RequireSandbox = sandboxTool == "none" ? "false" : null,
        });

    private Stage2Result Run(string lane, string? provider, string? model, string? baseUrl, string? projectDirectory = null, string? sandboxTool = null)
    {
        var (requests, errors) = Plan(lane, provider, model, baseUrl, projectDirectory, sandboxTool: sandboxTool);
        Assert.Empty(errors);
        return Stage2Runner.Run(requests[0]);
    }

    private Stage2Report Blocked(Stage2Result result, FailureKind kind, params string[] markerLines)
    {
        var report = ReportAssert.Ended(result, kind);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.False(File.Exists(CaseSource.RecordPathOf(report.RunDirectory) + ".env"), "a provider process ran");
        var marker = File.ReadAllText(result.EvidencePath);
        Assert.All(markerLines, line => Assert.Contains(line, marker));
        return report;
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("qwen-local", null)]
    [InlineData(null, "qwen3.6-35b-a3b")]
    public void Both_model_variables_are_required(string? provider, string? model)
    {
        _source.BuildFakeBackedCa();
        _source.Admit();

        Blocked(Run("case", provider, model, _endpoint.BaseUrl), FailureKind.ModelNotAdmitted,
            "admitted: qwen-local/qwen3.6-35b-a3b (local), openai-codex/gpt-5.5", "are both required");
    }

    [Theory]
    [InlineData("qwen-local", "qwen3.6-35b")]
    [InlineData("qwen-local", "qwen3.6-35b-a3b-instruct")]
    [InlineData("Qwen-Local", "qwen3.6-35b-a3b")]
    [InlineData("anthropic", "claude-sonnet-4-6")]
    [InlineData(" qwen-local", "qwen3.6-35b-a3b")]
    [InlineData("qwen-local", "qwen3.6-35b-a3b ")]
    public void Only_an_exactly_admitted_pair_passes_the_gate(string provider, string model)
    {
        _source.BuildFakeBackedCa();
        _source.Admit();

        var report = Blocked(Run("case", provider, model, _endpoint.BaseUrl), FailureKind.ModelNotAdmitted, $"requested: {provider}/{model}");

        Assert.False(report.Model.Admitted);
        Assert.Equal($"{provider}/{model}", report.Model.Requested!.ToString());
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("localhost:8080", "not an absolute http(s) URL")]
    [InlineData("ftp://127.0.0.1/v1", "not an absolute http(s) URL")]
    [InlineData("/v1", "not an absolute http(s) URL")]
    public void A_local_pair_needs_an_absolute_http_base_url(string? baseUrl, string problem)
    {
        _source.BuildFakeBackedCa();
        _source.Admit();

        var report = Blocked(Run("case-qwen-local", null, null, baseUrl), FailureKind.LocalConfigUnavailable, problem, "local: true");

        Assert.Equal("provider unavailable", report.FailureReason);
        Assert.Equal("backend/provider-local-config-unavailable.txt", Assert.Single(report.Markers));
    }

    [Fact]
    public void The_case_qwen_local_lane_passes_with_configuration_shaped_as_case_reads_it()
    {
        _source.BuildFakeBackedCa();
        _source.Admit();

        var result = Run("case-qwen-local", null, null, _endpoint.BaseUrl);

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        Assert.Equal("case-qwen-local", report.Lane);
        Assert.Equal("qwen-local/qwen3.6-35b-a3b", report.Model.Requested!.ToString());
        Assert.Equal("openai/qwen3.6-35b-a3b", report.Model.Configured!.ToString());
        Assert.True(report.Model.Admitted);
        Assert.True(report.Model.Local);

        var backend = Path.Combine(report.RunDirectory, "backend");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(backend, "case-data", "config.json")))!;
        foreach (var key in new[] { "default", "implementer", "verifier", "reviewer", "closer", "retrospective" })
        {
            Assert.Equal("openai", config["models"]![key]!["provider"]!.GetValue<string>());
            Assert.Equal("qwen3.6-35b-a3b", config["models"]![key]!["model"]!.GetValue<string>());
        }
        var models = JsonNode.Parse(File.ReadAllText(Path.Combine(backend, "pi-agent", "models.json")))!["providers"]!["openai"]!;
        // Case talks to the harness's relay on loopback, which forwards to the endpoint.
        Assert.Equal(report.Model.Traffic!.RelayUrl, models["baseUrl"]!.GetValue<string>());
        Assert.NotEqual(_endpoint.BaseUrl, report.Model.Traffic.RelayUrl);
        Assert.Equal(_endpoint.BaseUrl, report.Model.Traffic.Upstream);
        Assert.Equal("openai-completions", models["api"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(models["apiKey"]!.GetValue<string>()));
        Assert.Equal("qwen3.6-35b-a3b", models["models"]![0]!["id"]!.GetValue<string>());
        var repo = JsonNode.Parse(File.ReadAllText(Path.Combine(backend, "case-data", "projects.json")))!["repos"]![0]!;
        Assert.Equal("r1-string-slugify", repo["name"]!.GetValue<string>());
        Assert.Equal(Path.Combine(report.RunDirectory, "workspace"), repo["path"]!.GetValue<string>());
        var task = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(backend, "tasks"), "*.task.json").Single()))!;
        Assert.Equal("r1-string-slugify", task["repo"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(task["created"]!.GetValue<string>(), out _));

        var configEntry = Assert.Single(report.Model.ConfigurationFiles, f => f.Path == "backend/case-data/config.json");
        Assert.Equal(Sha256.OfFile(Path.Combine(report.RunDirectory, configEntry.Path)), configEntry.Sha256);
        Assert.Equal(4, report.Model.ConfigurationFiles.Count);

        var environment = File.ReadAllLines(CaseSource.RecordPathOf(report.RunDirectory) + ".env");
        Assert.Contains(environment, l => l.StartsWith("OPENAI_API_KEY=") && l.Length > "OPENAI_API_KEY=".Length);
        Assert.Contains($"CASE_DATA_DIR={Path.Combine(backend, "case-data")}", environment);
        Assert.Contains($"PI_CODING_AGENT_DIR={Path.Combine(backend, "pi-agent")}", environment);
        Assert.Contains($"HOME={Path.Combine(backend, "home")}", environment);
        Assert.Contains($"XDG_CONFIG_HOME={Path.Combine(backend, "home", ".config")}", environment);
        Assert.Contains(environment, l => l.StartsWith("TMPDIR="));
    }

    [Fact]
    public void Ambient_secrets_overrides_and_proxies_never_reach_case_and_the_passed_key_is_masked()
    {
        _source.BuildFakeBackedCa(printKey: true);
        _source.Admit();
        var canary = $"canary-{Guid.NewGuid():N}";
        var key = $"sk-test-{Guid.NewGuid():N}";
        string[] ambient = ["CTOHARNESS_CANARY_TOKEN", "ANTHROPIC_API_KEY", "GH_TOKEN", "CASE_MODEL_OVERRIDE", "CASE_PACKAGE_ROOT", "HTTPS_PROXY", "HTTP_PROXY"];
        foreach (var name in ambient)
        {
            Environment.SetEnvironmentVariable(name, canary);
        }
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", key);
        try
        {
            var result = Run("case", "openai-codex", "gpt-5.5", null);

            var report = ReportAssert.Valid(result.ReportPath);
            Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
            var environment = File.ReadAllLines(CaseSource.RecordPathOf(report.RunDirectory) + ".env");
            Assert.DoesNotContain(environment, l => l.Contains(canary));
            Assert.All(ambient, name => Assert.DoesNotContain(environment, l => l.StartsWith(name + "=")));
            // The relay holds the key: Case, and so the model's shell, only ever see a placeholder.
            Assert.Contains($"OPENAI_API_KEY={CtoHarness.Backend.CaseModel.PlaceholderKey}", environment);
            Assert.DoesNotContain(environment, l => l.Contains(key));
            Assert.Contains($"using key {CtoHarness.Backend.CaseModel.PlaceholderKey}", File.ReadAllText(Path.Combine(report.RunDirectory, "backend", "provider.stdout.log")));
            AssertNowhereUnder(report.RunDirectory, canary);
            AssertNowhereUnder(report.RunDirectory, key);
        }
        finally
        {
            foreach (var name in ambient.Append("OPENAI_API_KEY"))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void No_path_of_the_repository_being_built_reaches_case()
    {
        _source.BuildFakeBackedCa();
        _source.Admit();
        var project = Path.Combine(TestPaths.RepoRoot, "samples", "Stage2Sample");

        var result = Run("case-qwen-local", null, null, _endpoint.BaseUrl, projectDirectory: project);

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Status == RunStatus.Pass, $"{report.FailureReason}: {report.Message}");
        var repository = TestPaths.RepoRoot.TrimEnd('/');
        Assert.DoesNotContain(repository, File.ReadAllText(CaseSource.RecordPathOf(report.RunDirectory) + ".env"));
        Assert.DoesNotContain(repository, File.ReadAllText(CaseSource.RecordPathOf(report.RunDirectory) + ".pwd"));
        foreach (var generated in report.Model.ConfigurationFiles)
        {
            Assert.DoesNotContain(repository, File.ReadAllText(Path.Combine(report.RunDirectory, generated.Path)));
        }
        Assert.DoesNotContain(repository, string.Join(" ", report.Backend.CommandLine));
    }

    [Fact]
    public void A_runs_directory_inside_the_repository_being_built_is_refused_unless_allowed()
    {
        var project = Path.Combine(TestPaths.RepoRoot, "samples", "Stage2Sample");
        var inside = Path.Combine(TestPaths.RepoRoot, "artifacts", "runs-inside");

        var (_, refused) = Plan("fake", null, null, null, project, inside);
        var (allowed, accepted) = Plan("fake", null, null, null, project, inside, allowRunsInRepository: true);

        Assert.Equal("CTOH011", Assert.Single(refused).Code);
        Assert.Empty(accepted);
        Assert.Single(allowed);
    }

    [Fact]
    public void The_fake_provider_refuses_a_model_that_its_configuration_does_not_declare()
    {
        var data = Path.Combine(_source.Temp, "case-data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "config.json"), """{"models":{"default":{"provider":"qwen-local","model":"qwen3.6-35b-a3b"}}}""");
        File.WriteAllText(Path.Combine(data, "projects.json"), $$"""{"repos":[{"name":"r","path":"{{_source.Temp}}"}]}""");
        var task = Path.Combine(_source.Temp, "t.task.json");
        File.WriteAllText(task, """{"id":"t","status":"active","created":"2026-01-01T00:00:00Z","repo":"r"}""");
        var start = new ProcessStartInfo(CtoHarness.Backend.DotnetHost.Locate(), [TestPaths.FakeProviderAssembly, "run", "--task", task, "--mode", "unattended"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["CASE_DATA_DIR"] = data;
        start.Environment["PI_CODING_AGENT_DIR"] = Path.Combine(_source.Temp, "pi-agent");
        start.Environment["HOME"] = _source.Temp;

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Fatal: Model not found: qwen-local/qwen3.6-35b-a3b", stderr);
    }

    private static void AssertNowhereUnder(string directory, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} contains the secret");
        }
    }
}
