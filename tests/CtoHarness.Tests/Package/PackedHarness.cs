using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>
/// Packs CtoHarness.Build once per test class, with a unique version, into a fresh local feed, building in an
/// artifacts folder of its own: the repository's own outputs never see the test's version.
/// </summary>
public sealed class PackedHarness : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PackedHarness()
    {
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Feed = _temp.Combine("feed");
        // As CI packs (source paths mapped), so that another pack of this commit must give the same bytes.
        var (exitCode, output) = Pack(Feed, _temp.Combine("artifacts"), $"-p:Version={Version}", "-p:ContinuousIntegrationBuild=true");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        }
        Package = Path.Combine(Feed, $"CtoHarness.Build.{Version}.nupkg");
    }

    /// <summary>`dotnet pack` of CtoHarness.Build in Release into <paramref name="output"/>, building under <paramref name="artifacts"/>.</summary>
    public static (int ExitCode, string Output) Pack(string output, string artifacts, params string[] properties) =>
        Dotnet.Run(TestPaths.RepoRoot, null,
            ["pack", Path.Combine("src", "CtoHarness.Build", "CtoHarness.Build.csproj"), "-c", "Release", "-o", output,
             $"-p:ArtifactsPath={artifacts}", "/nodeReuse:false", "-nologo", .. properties]);

    public string Version { get; }
    public string Feed { get; }
    public string Package { get; }

    public void Dispose() => _temp.Dispose();
}
