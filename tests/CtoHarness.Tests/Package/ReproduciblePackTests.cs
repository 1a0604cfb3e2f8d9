using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>Two packs of one commit are the same bytes, wherever they build and whenever.</summary>
[Trait("Layer", "Process")]
public sealed class ReproduciblePackTests(PackedHarness packed) : IClassFixture<PackedHarness>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_second_pack_of_the_commit_in_another_folder_is_byte_identical()
    {
        // Built from scratch in an artifacts folder of its own, later than the first, as CI packs.
        var (exitCode, output) = PackedHarness.Pack(_temp.Combine("feed"), _temp.Combine("artifacts"), $"-p:Version={packed.Version}", "-p:ContinuousIntegrationBuild=true");
        Assert.True(exitCode == 0, output);

        var again = File.ReadAllBytes(_temp.Combine("feed", Path.GetFileName(packed.Package)));
        Assert.True(again.AsSpan().SequenceEqual(File.ReadAllBytes(packed.Package)), "the two packages differ");
    }
}
