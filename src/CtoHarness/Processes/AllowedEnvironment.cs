namespace CtoHarness.Processes;

/// <summary>
/// The only variables of the harness's own environment that any child of a run inherits. Everything
/// else a child gets is set explicitly; tokens, keys and proxies of the caller never pass.
/// </summary>
public static class AllowedEnvironment
{
    public static readonly string[] PassThrough = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "COMSPEC", "PATHEXT"];

    /// <param name="excludedRoot">A directory none of whose paths may pass (the repository being built): PATH entries inside it are dropped.</param>
    public static Dictionary<string, string> FromCurrentProcess(string? excludedRoot = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PassThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }
        if (excludedRoot is not null && environment.TryGetValue("PATH", out var path))
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(excludedRoot));
            environment["PATH"] = string.Join(Path.PathSeparator, path.Split(Path.PathSeparator)
                .Where(entry => !IsInside(entry, root)));
        }
        return environment;
    }

    public static bool IsInside(string path, string root)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path))
        {
            return false;
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
