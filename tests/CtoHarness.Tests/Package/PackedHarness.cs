using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>Packs CtoHarness.Build once per test class, with a unique version, into a fresh local feed.</summary>
public sealed class PackedHarness : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PackedHarness()
    {
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Feed = _temp.Combine("feed");
        var (exitCode, output) = Dotnet.Run(TestPaths.RepoRoot, null,
            "pack", Path.Combine("src", "CtoHarness.Build", "CtoHarness.Build.csproj"), "-c", "Release", "-o", Feed,
            $"-p:Version={Version}", "/nodeReuse:false", "-nologo");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        }
        Package = Path.Combine(Feed, $"CtoHarness.Build.{Version}.nupkg");
    }

    public string Version { get; }
    public string Feed { get; }
    public string Package { get; }

    public void Dispose() => _temp.Dispose();
}
