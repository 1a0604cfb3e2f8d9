using System.Text;
using CtoHarness.Processes;

namespace CtoHarness.Workspace;

/// <summary>
/// What the workspace holds under the fixture's ignored paths (bin/, obj/, __pycache__/, results files): build
/// outputs and caches, never part of the graded change. The final test run must not trust any the agent left there
/// (a planted obj/Money.dll newer than its sources is used by an incremental build as it is, a planted .pyc by
/// Python), so before it they are moved out of the workspace, as evidence, and the baseline test run's are put back.
/// </summary>
public sealed class BuildOutputs(BaselineRepository baseline, string kept)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Copies the ignored files the baseline test run left (plain files only, with their times) out of the workspace.</summary>
    public void KeepBaseline()
    {
        Directory.CreateDirectory(kept);
        foreach (var relative in IgnoredEntries())
        {
            if (Utf8(relative) is { } name)
            {
                PlainFiles.CopyTree(Path.Combine(baseline.WorkTree, name), Path.Combine(kept, name));
            }
        }
    }

    /// <summary>
    /// Puts the kept outputs into the workspace as the baseline test run left them (a reused baseline's, before the
    /// provider runs, so that it finds the workspace as a run that ran its own baseline would).
    /// </summary>
    public void PutBack()
    {
        if (Directory.Exists(kept))
        {
            PlainFiles.CopyTree(kept, baseline.WorkTree);
        }
    }

    /// <summary>
    /// Moves every ignored entry of the workspace to <paramref name="setAside"/>, puts the baseline's back, and dates the
    /// changed files now, so that an incremental build rebuilds what they feed even when the agent set their times back.
    /// </summary>
    /// <returns>The entries moved aside, as text (bytes that are not UTF-8 escaped).</returns>
    public IReadOnlyList<string> Reset(IEnumerable<string> changedFiles, string setAside)
    {
        var moved = new List<string>();
        foreach (var relative in IgnoredEntries())
        {
            RawDirectory.MoveInto(baseline.WorkTree, relative, setAside);
            moved.Add(RawDirectory.Display(relative));
        }
        PutBack();
        var now = DateTime.UtcNow;
        foreach (var relative in changedFiles)
        {
            var path = Path.Combine(baseline.WorkTree, relative);
            if (PlainFiles.NoLinkOnTheWay(baseline.WorkTree, relative) && File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, now);
            }
        }
        return moved;
    }

    /// <summary>The entries the harness's exclude list matches, never Case's own state folder at the root.</summary>
    private IEnumerable<byte[]> IgnoredEntries() =>
        baseline.Untracked(ignored: true).Where(entry => !entry.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(WorkspaceBuilder.CaseStateFolder)));

    private static string? Utf8(byte[] name)
    {
        try
        {
            return StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
