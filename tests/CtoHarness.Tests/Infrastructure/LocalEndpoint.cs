using CtoHarness.Fixtures;
using CtoHarness.ScriptedModel;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>A live OpenAI-compatible endpoint on loopback (the scripted model) serving <c>model</c>, for a local pair's base URL.</summary>
public sealed class LocalEndpoint : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ScriptedModelServer _server;

    public LocalEndpoint(string model = "qwen3.6-35b-a3b")
    {
        _server = ScriptedModelServer.Start(FixtureLoader.Load(TestPaths.SlugifyFixture), ScriptedModelScenario.Solve, _directory.Path, model);
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>The server's root: the base an Anthropic client is given.</summary>
    public string Origin => _server.Origin;

    /// <summary>One line per request the endpoint served (agent, turn, SHA-256 of the Authorization header).</summary>
    public string RequestsLog => Path.Combine(_directory.Path, "requests.jsonl");

    public string RequestsDirectory => Path.Combine(_directory.Path, "requests");

    public void Dispose()
    {
        _server.Dispose();
        _directory.Dispose();
    }
}
