using CtoHarness.Tests.Infrastructure;
using CtoHarness.Workspace;

namespace CtoHarness.Tests.Workspace;

/// <summary>
/// Putting the baseline's build outputs back into a workspace the agent had: a folder it replaced with a link (say
/// Money/ pointing outside the run) is never written through, by the copy or by dating the changed files.
/// </summary>
[Trait("Layer", "Unit")]
public sealed class PlainFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_link_in_the_destination_is_never_written_through()
    {
        var kept = _temp.Combine("kept", "Money", "obj");
        Directory.CreateDirectory(kept);
        File.WriteAllText(Path.Combine(kept, "Money.dll"), "baseline");
        File.WriteAllText(_temp.Combine("kept", "top.txt"), "baseline");
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "victim.txt"), "keep");
        var workspace = _temp.Combine("workspace");
        Directory.CreateDirectory(workspace);
        Directory.CreateSymbolicLink(Path.Combine(workspace, "Money"), outside);
        File.CreateSymbolicLink(Path.Combine(workspace, "top.txt"), Path.Combine(outside, "victim.txt"));

        PlainFiles.CopyTree(_temp.Combine("kept"), workspace);

        Assert.Equal(["victim.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "victim.txt")));
        Assert.False(PlainFiles.NoLinkOnTheWay(workspace, "Money/victim.txt"));
        Assert.True(PlainFiles.NoLinkOnTheWay(workspace, "strings.py"));
    }

    [Fact]
    public void Plain_files_and_folders_are_copied_with_their_times()
    {
        var source = _temp.Combine("source", "obj");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.dll"), "a");
        var time = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(source, "a.dll"), time);

        PlainFiles.CopyTree(_temp.Combine("source"), _temp.Combine("destination"));

        Assert.Equal("a", File.ReadAllText(_temp.Combine("destination", "obj", "a.dll")));
        Assert.Equal(time, File.GetLastWriteTimeUtc(_temp.Combine("destination", "obj", "a.dll")));
    }
}
