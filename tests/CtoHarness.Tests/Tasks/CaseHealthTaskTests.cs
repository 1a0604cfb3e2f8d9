using CtoHarness.Build;
using CtoHarness.Tests.Infrastructure;
using Microsoft.Build.Utilities;

namespace CtoHarness.Tests.Tasks;

[Trait("Layer", "Process")]
public sealed class CaseHealthTaskTests : IDisposable
{
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void A_cancelled_self_test_is_a_coded_error_not_a_crash()
    {
        var engine = new FakeBuildEngine();
        var task = new CaseHealth
        {
            BuildEngine = engine,
            Fixture = new TaskItem(TestPaths.SlugifyFixture),
            RunsDirectory = _runs.Path,
            FakeProviderAssembly = TestPaths.FakeProviderAssembly,
        };
        task.Cancel();

        Assert.False(task.Execute());

        Assert.Equal("CTOH502", Assert.Single(engine.Errors).Code);
    }
}
