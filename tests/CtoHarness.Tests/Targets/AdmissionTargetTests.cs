using CtoHarness.Admission;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

[Trait("Layer", "Process")]
public sealed class AdmissionTargetTests : IDisposable
{
    private readonly CaseSource _source = new();

    public void Dispose() => _source.Dispose();

    private Dictionary<string, string> Properties() => new()
    {
        ["CtoHarnessCaseSource"] = _source.Checkout,
        ["CtoHarnessCaseCommit"] = _source.Commit,
        ["CtoHarnessProviderStore"] = _source.Store,
        ["CtoHarnessCaseLockFile"] = _source.LockFile,
    };

    [Fact]
    public void CaseProviderAdmit_then_CaseProviderVerify_through_the_targets()
    {
        _source.Build();
        var project = InProcessBuild.WriteConsumer(_source.Temp,
            """<ItemGroup><CtoHarnessCaseAllowedModifiedFile Include="src/generated/package-assets.ts" /></ItemGroup>""");

        var admit = InProcessBuild.Build(project, "CaseProviderAdmit", Properties());
        var verify = InProcessBuild.Build(project, "CaseProviderVerify", Properties());

        Assert.True(admit.Succeeded, string.Join("\n", admit.Errors.Select(e => $"{e.Code}: {e.Message}")));
        Assert.Contains(admit.Messages, m => m.StartsWith("CtoHarness admission: admitted ca sha256="));
        Assert.True(verify.Succeeded, string.Join("\n", verify.Errors.Select(e => $"{e.Code}: {e.Message}")));

        var stored = ProviderLockFile.Read(_source.LockFile).Binary.StorePath;
        File.SetUnixFileMode(stored, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.AppendAllText(stored, "# changed after admission\n");
        var tampered = InProcessBuild.Build(project, "CaseProviderVerify", Properties());

        Assert.False(tampered.Succeeded);
        var error = Assert.Single(tampered.Errors);
        Assert.Equal("CTOH102", error.Code);
        Assert.Equal(_source.LockFile, error.File);
    }

    [Fact]
    public void CaseProviderAdmit_refuses_an_unallowed_dirty_checkout_with_its_code()
    {
        _source.Build();
        var project = InProcessBuild.WriteConsumer(_source.Temp);

        var admit = InProcessBuild.Build(project, "CaseProviderAdmit", Properties());

        Assert.False(admit.Succeeded);
        Assert.Equal("CTOH113", Assert.Single(admit.Errors).Code);
        Assert.False(File.Exists(_source.LockFile));
    }
}
