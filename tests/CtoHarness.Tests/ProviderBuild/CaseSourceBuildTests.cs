using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.ProviderBuild;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.ProviderBuild;

/// <summary>
/// CaseProviderBuild's build step against small git repositories shaped like Case (a package.json with a
/// build:binary script), with the real bun from the npm registry: a build that works is kept and not made again,
/// a build that fails or a commit the source lacks is a coded error pointing at the build's log. The real Case source
/// goes through the same code in every real-ca test (build/real-case.sh calls the target).
/// </summary>
[Trait("Layer", "Process")]
public sealed class CaseSourceBuildTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A one-commit repository whose build:binary runs <paramref name="build"/>.</summary>
    private (string Source, string Commit) Source(string build)
    {
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "package.json"), $$"""{ "name": "stand-in", "scripts": { "build:binary": "{{build}}" } }""");
        CtoHarness.Workspace.Git.Run(source, "init", "--quiet", "--template=");
        CtoHarness.Workspace.Git.Run(source, "add", "--all");
        CtoHarness.Workspace.Git.Run(source, "commit", "--quiet", "-m", "stand-in");
        return (source, CtoHarness.Workspace.Git.Run(source, "rev-parse", "HEAD").Trim());
    }

    private CaseBuild Build(string source, string commit, List<string>? progress = null) =>
        CaseSourceBuild.Build(new CaseBuildRequest(source, commit, _temp.Combine("builds"), HarnessDirectories.Cache(), "1.3.14"), line => progress?.Add(line));

    [Fact]
    public void A_build_is_made_once_in_a_folder_of_its_commit_with_the_canonical_origin()
    {
        var (source, commit) = Source("mkdir -p dist && printf built > dist/ca");

        var first = Build(source, commit);
        var progress = new List<string>();
        var second = Build(source, commit, progress);

        Assert.True(first.Rebuilt);
        Assert.False(second.Rebuilt);
        Assert.Empty(progress);
        Assert.Equal(Path.Combine(_temp.Combine("builds"), commit, "case", "dist", "ca"), first.Binary);
        Assert.Equal("built", File.ReadAllText(first.Binary));
        Assert.Equal("https://github.com/workos/case.git", CtoHarness.Workspace.Git.Run(first.Checkout, "remote", "get-url", "origin").Trim());
        Assert.Equal("bun", Path.GetFileName(first.Bun));
    }

    [Fact]
    public void A_failing_build_is_CTOH119_quoting_its_log()
    {
        var (source, commit) = Source("echo boom-from-the-build >&2; exit 3");

        var failure = Assert.Throws<ExpectedFailure>(() => Build(source, commit));

        Assert.Equal("CTOH119", failure.Code);
        Assert.Contains("'bun run build:binary'", failure.Message);
        Assert.Contains("boom-from-the-build", failure.Message);
        Assert.Equal(Path.Combine(_temp.Combine("builds"), commit, "build.log"), failure.File);
    }

    [Fact]
    public void A_commit_the_source_lacks_is_CTOH121_quoting_git()
    {
        var (source, _) = Source("exit 0");

        var failure = Assert.Throws<ExpectedFailure>(() => Build(source, new string('a', 40)));

        Assert.Equal("CTOH121", failure.Code);
        Assert.Contains("git checkout failed", failure.Message);
    }
}
