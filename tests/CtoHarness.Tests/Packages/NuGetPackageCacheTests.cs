using CtoHarness.Fixtures;
using CtoHarness.Packages;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Packages;

[Trait("Layer", "Unit")]
public sealed class NuGetPackageCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Restored()
    {
        var folder = _temp.Combine("restored");
        Directory.CreateDirectory(Path.Combine(folder, "xunit", "2.9.2", "lib"));
        File.WriteAllText(Path.Combine(folder, "xunit", "2.9.2", "lib", "xunit.dll"), "the assembly");
        File.WriteAllText(Path.Combine(folder, "xunit", "2.9.2", "xunit.nuspec"), "<package />");
        return folder;
    }

    [Fact]
    public void A_kept_folder_is_read_only_and_verified_and_any_change_to_it_is_found()
    {
        var cache = new NuGetPackageCache(_temp.Combine("cache"));
        Assert.Equal((null, null), cache.Verified("key"));

        Assert.True(cache.Keep("key", Restored()));
        Assert.False(cache.Keep("key", Restored())); // another run got there first: its folder stays

        var (packages, problem) = cache.Verified("key");
        Assert.Null(problem);
        var assembly = Path.Combine(packages!, "xunit", "2.9.2", "lib", "xunit.dll");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(assembly));
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(packages!, "xunit")) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));

        // Whoever could still write there (the harness's own user): a changed byte and an added file are both found.
        File.SetUnixFileMode(assembly, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(assembly, "a poisoned assembly");
        Assert.Contains("does not match its manifest", cache.Verified("key").Problem);
        File.WriteAllText(assembly, "the assembly");
        Assert.Null(cache.Verified("key").Problem);
        File.SetUnixFileMode(Path.Combine(packages!, "xunit"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(packages!, "xunit", "extra.targets"), "<Project />");
        Assert.Contains("does not match its manifest", cache.Verified("key").Problem);
    }

    [Fact]
    public void Sandboxed_runs_trust_this_process_s_full_check_and_a_run_without_the_sandbox_revokes_it()
    {
        var cache = new NuGetPackageCache(_temp.Combine("cache"));
        Assert.True(cache.Keep("key", Restored()));
        var (packages, problem) = cache.Verified("key", sandboxed: true);
        Assert.Null(problem);
        var assembly = Path.Combine(packages!, "xunit", "2.9.2", "lib", "xunit.dll");
        File.SetUnixFileMode(assembly, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(assembly, "a poisoned assembly");

        // No sandboxed program can write the cache, so a sandboxed run takes this process's earlier full check ...
        Assert.Null(cache.Verified("key", sandboxed: true).Problem);
        // ... a run without the sandbox hashes it all, and after it no run may rely on an earlier check.
        Assert.Contains("does not match its manifest", cache.Verified("key", sandboxed: false).Problem);
        Assert.Contains("does not match its manifest", cache.Verified("key", sandboxed: true).Problem);
    }

    [Fact]
    public void A_restored_folder_with_a_link_is_not_kept()
    {
        var restored = Restored();
        File.CreateSymbolicLink(Path.Combine(restored, "xunit", "2.9.2", "lib", "elsewhere.dll"), "/etc/passwd");
        var cache = new NuGetPackageCache(_temp.Combine("cache"));

        Assert.False(cache.Keep("key", restored));
        Assert.False(Directory.Exists(_temp.Combine("cache", "key")));
        Assert.True(!Directory.Exists(_temp.Combine("cache")) || Directory.GetFileSystemEntries(_temp.Combine("cache")).Length == 0, "a staging folder was left");
    }

    [Fact]
    public void The_key_is_of_the_files_that_decide_the_restore_and_only_for_nuget_fixtures()
    {
        var dotnet = FixtureLoader.Load(FixtureCopies.Copy(_temp.Combine("money"), Path.Combine(TestPaths.RepoRoot, "src", "CtoHarness.Build", "fixtures", "r3-dotnet-money")));
        var key = NuGetPackageCache.KeyOf(dotnet);
        Assert.Matches("^[0-9a-f]{64}$", key);

        File.AppendAllText(Path.Combine(dotnet.SourcesDirectory, "Money", "Amounts.cs"), "// a source file decides nothing restored\n");
        Assert.Equal(key, NuGetPackageCache.KeyOf(dotnet));
        File.AppendAllText(Path.Combine(dotnet.SourcesDirectory, "Money.Tests", "Money.Tests.csproj"), "<!-- another package version would -->\n");
        Assert.NotEqual(key, NuGetPackageCache.KeyOf(dotnet));

        Assert.Null(NuGetPackageCache.KeyOf(FixtureLoader.Load(TestPaths.SlugifyFixture)));
    }
}
