namespace CtoHarness.Processes;

/// <summary>
/// The only variables of the harness's own environment that any child of a run inherits. Everything
/// else a child gets is set explicitly; tokens, keys and proxies of the caller never pass.
/// </summary>
public static class AllowedEnvironment
{
    public static readonly string[] PassThrough = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "COMSPEC", "PATHEXT"];

    public static Dictionary<string, string> FromCurrentProcess()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PassThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }
        return environment;
    }
}
