using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>Two packs of one commit are the same bytes, wherever they build and whenever.</summary>
[Trait("Layer", "Process")]
public sealed class ReproduciblePackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Two_packs_of_one_commit_in_different_folders_are_byte_identical()
    {
        // As CI builds (ContinuousIntegrationBuild maps the source paths); each pack builds from scratch elsewhere.
        var packs = new[] { "first", "second" }.Select(name =>
        {
            var (exitCode, output) = PackedHarness.Pack(_temp.Combine(name, "feed"), _temp.Combine(name, "artifacts"),
                "-p:Version=0.1.0-repro", "-p:ContinuousIntegrationBuild=true");
            Assert.True(exitCode == 0, output);
            return File.ReadAllBytes(_temp.Combine(name, "feed", "CtoHarness.Build.0.1.0-repro.nupkg"));
        }).ToList();

        Assert.True(packs[0].AsSpan().SequenceEqual(packs[1]), "the two packages differ");
    }
}
