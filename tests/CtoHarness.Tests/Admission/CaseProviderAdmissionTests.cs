using CtoHarness.Admission;
using CtoHarness.Evidence;
using CtoHarness.Tests.Infrastructure;
using CtoHarness.Workspace;

namespace CtoHarness.Tests.Admission;

[Trait("Layer", "Process")]
public sealed class CaseProviderAdmissionTests : IDisposable
{
    private readonly CaseSource _source = new();

    public void Dispose() => _source.Dispose();

    [Fact]
    public void Admission_stores_the_binary_and_writes_a_lock_anyone_can_recheck()
    {
        _source.Build();

        var result = CaseProviderAdmission.Admit(_source.Request());

        SchemaAssert.ValidLock(result.LockFile);
        var providerLock = ProviderLockFile.Read(result.LockFile);
        Assert.Equal(Sha256.OfFile(_source.Binary), providerLock.Binary.Sha256);
        Assert.Equal(new FileInfo(_source.Binary).Length, providerLock.Binary.Size);
        Assert.Equal(_source.Commit, providerLock.Source.Commit);
        Assert.Equal(["src/generated/package-assets.ts"], providerLock.Source.AllowedModifiedFiles);
        Assert.StartsWith(_source.Store, providerLock.Binary.StorePath);
        Assert.Equal(Path.Combine(_source.Store, "sha256", providerLock.Binary.Sha256, "ca"), providerLock.Binary.StorePath);
        Assert.Equal(providerLock.Binary.Sha256, Sha256.OfFile(providerLock.Binary.StorePath));
        Assert.Equal(_source.Binary, providerLock.Binary.AdmittedFrom);
        Assert.NotNull(providerLock.Toolchain);
        Assert.NotEqual(ToolVersion.Missing, providerLock.Toolchain!.Node.Version);
        Assert.True(providerLock.Toolchain.Node.Satisfied);
    }

    [Fact]
    public void Re_admitting_the_same_binary_is_idempotent()
    {
        _source.Build();
        var first = CaseProviderAdmission.Admit(_source.Request());
        var bytes = File.ReadAllBytes(first.LockFile);

        var second = CaseProviderAdmission.Admit(_source.Request());

        Assert.True(second.Unchanged);
        Assert.Equal(bytes, File.ReadAllBytes(second.LockFile));
        Assert.Single(Directory.EnumerateFiles(_source.Store, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("https://github.com/workos/case")]
    [InlineData("https://github.com/WorkOS/case.git")]
    [InlineData("ssh://git@github.com/workos/case.git")]
    [InlineData("git@github.com:workos/case.git")]
    public void Https_ssh_and_dot_git_spellings_name_the_same_repository(string spelling)
    {
        Assert.True(RepositoryUrl.SameRepository(spelling, "https://github.com/workos/case.git"));
        Assert.False(RepositoryUrl.SameRepository(spelling, "https://github.com/someone/case.git"));
    }

    [Fact]
    public void Another_origin_is_refused()
    {
        _source.Build();
        Git.Run(_source.Checkout, "remote", "set-url", "origin", "https://github.com/someone/case-fork.git");

        Assert.Equal("CTOH111", Refusal(_source.Request()).Code);
    }

    [Fact]
    public void A_checkout_not_at_the_pin_is_refused()
    {
        _source.Build();

        var error = Refusal(_source.Request() with { Commit = new string('a', 40) });

        Assert.Equal("CTOH112", error.Code);
        Assert.Contains(_source.Commit, error.Message);
    }

    [Theory]
    [InlineData("7959ac9")]
    [InlineData("7959AC917CDEB0983B4AAA20BB9F42021747FED8")]
    [InlineData("not-a-commit-not-a-commit-not-a-commit-x")]
    public void A_pin_that_is_not_40_hex_digits_is_bad_input(string pin)
    {
        _source.Build();

        Assert.Equal("CTOH007", Refusal(_source.Request() with { Commit = pin }).Code);
    }

    [Fact]
    public void A_modified_tracked_file_that_was_not_allowed_is_refused()
    {
        _source.Build();
        File.AppendAllText(Path.Combine(_source.Checkout, "package.json"), "\n");

        var error = Refusal(_source.Request());

        Assert.Equal("CTOH113", error.Code);
        Assert.Contains("were not allowed: package.json.", error.Message);
        Assert.False(File.Exists(_source.LockFile));
    }

    [Fact]
    public void A_missing_binary_says_what_it_takes_to_build_it()
    {
        var error = Refusal(_source.Request());

        Assert.Equal("CTOH114", error.Code);
        Assert.Contains("bun run build:binary", error.Message);
        Assert.Contains("dist/ca", error.Message);
        if (!ToolchainProbe.IsInstalled("bun"))
        {
            Assert.Contains("bun is not installed", error.Message);
        }
    }

    [Fact]
    public void A_toolchain_outside_its_range_is_refused()
    {
        _source.Build();
        var oldNode = Path.Combine(_source.Temp, "old-node");
        File.WriteAllText(oldNode, "#!/bin/sh\necho v12.22.0\n");
        File.SetUnixFileMode(oldNode, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var error = Refusal(_source.Request() with { NodeTool = oldNode });

        Assert.Equal("CTOH115", error.Code);
        Assert.Contains("12.22.0", error.Message);
    }

    [Fact]
    public void A_missing_tool_is_recorded_as_missing()
    {
        _source.Build();

        var result = CaseProviderAdmission.Admit(_source.Request() with { BunTool = "no-such-bun-ctoharness" });

        Assert.Equal(ToolVersion.Missing, result.Lock.Toolchain!.Bun.Version);
        Assert.Contains(result.Warnings, w => w.Contains("bun"));
    }

    [Fact]
    public void An_untracked_file_is_refused_unless_allowed_and_then_recorded()
    {
        _source.Build();
        File.WriteAllText(Path.Combine(_source.Checkout, "src", "planted.ts"), "export {};\n");

        var error = Refusal(_source.Request());
        var admitted = CtoHarness.Admission.CaseProviderAdmission.Admit(_source.Request() with
        {
            AllowedModifiedFiles = ["src/generated/package-assets.ts", "src/planted.ts"],
        });

        Assert.Equal("CTOH113", error.Code);
        Assert.Contains("src/planted.ts", error.Message);
        Assert.Contains("src/planted.ts", admitted.Lock.Source.AllowedModifiedFiles);
    }

    [Theory]
    [InlineData("/var/tmp")]
    [InlineData("/dev/shm")]
    [InlineData("/tmp")]
    public void A_store_in_a_system_temporary_directory_is_refused_whatever_TMPDIR_says(string temporary)
    {
        _source.Build();

        var error = Refusal(_source.Request() with { StoreDirectory = Path.Combine(temporary, $"store-{Guid.NewGuid():N}") });

        Assert.Equal("CTOH009", error.Code);
        Assert.Contains(temporary, error.Message);
    }

    [Fact]
    public void A_store_in_the_temporary_directory_is_refused()
    {
        _source.Build();

        var error = Refusal(_source.Request() with { StoreDirectory = Path.Combine(Path.GetTempPath(), "store") });

        Assert.Equal("CTOH009", error.Code);
    }

    [Fact]
    public void A_store_that_cannot_be_written_is_a_coded_refusal()
    {
        _source.Build();
        Directory.CreateDirectory(_source.Store);
        var blocker = Path.Combine(_source.Store, "a-file");
        File.WriteAllText(blocker, "not a directory");

        var error = Refusal(_source.Request() with { StoreDirectory = Path.Combine(blocker, "store") });

        Assert.Equal("CTOH118", error.Code);
        Assert.False(File.Exists(_source.LockFile));
    }

    private static AdmissionException Refusal(AdmissionRequest request) =>
        Assert.Throws<AdmissionException>(() => CaseProviderAdmission.Admit(request));
}
