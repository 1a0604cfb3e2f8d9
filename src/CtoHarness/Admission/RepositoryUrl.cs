using System.Text.RegularExpressions;

namespace CtoHarness.Admission;

public static partial class RepositoryUrl
{
    // https://host/owner/repo(.git), ssh://git@host(:port)/owner/repo(.git), git@host:owner/repo(.git)
    [GeneratedRegex(@"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?(?<host>[^/:]+)(?::\d+)?/|(?:[^@/]+@)?(?<host>[^/:]+):)(?<path>.+?)(?:\.git)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    /// <summary>One spelling for the https, ssh and scp-like forms of a repository: <c>host/owner/repo</c>, lowercase.</summary>
    public static string? Normalize(string url)
    {
        var match = Pattern().Match(url.Trim());
        return match.Success ? $"{match.Groups["host"].Value}/{match.Groups["path"].Value}".ToLowerInvariant() : null;
    }

    public static bool SameRepository(string a, string b) => Normalize(a) is { } left && left == Normalize(b);
}
