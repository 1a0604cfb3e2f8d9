using CtoHarness.Evidence;
using CtoHarness.Workspace;

namespace CtoHarness.Grading;

/// <summary>Hashes the files the agent must not touch, and puts the pristine ones back before grading.</summary>
public sealed class ProtectedFiles
{
    private readonly string _workspace;
    private readonly Dictionary<string, string?> _digests;

    private ProtectedFiles(string workspace, Dictionary<string, string?> digests)
    {
        _workspace = workspace;
        _digests = digests;
    }

    public static ProtectedFiles Snapshot(string workspace, IEnumerable<string> paths) =>
        new(workspace, paths.Distinct().ToDictionary(p => p, p => DigestOf(workspace, p)));

    /// <summary>True for a protected file (a test, or what runs the tests).</summary>
    public bool IsTest(string relative) => _digests.ContainsKey(relative);

    public IReadOnlyList<string> Changed() =>
        _digests.Where(kv => DigestOf(_workspace, kv.Key) != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    public void Restore(BaselineRepository baseline, IReadOnlyList<string> paths)
    {
        if (paths.Count > 0)
        {
            baseline.Run(["checkout", baseline.BaselineCommit, "--", .. paths]);
        }
    }

    private static string? DigestOf(string workspace, string relative)
    {
        var path = Path.Combine(workspace, relative);
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? Sha256.OfFile(path) : null;
    }
}
