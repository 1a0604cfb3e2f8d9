namespace CtoHarness.Configuration;

public static class HarnessDirectories
{
    /// <summary>
    /// The per-user state directory, outside any repository: $XDG_STATE_HOME/ctoharness (default
    /// ~/.local/state/ctoharness) on Unix, %LOCALAPPDATA%\CtoHarness on Windows.
    /// </summary>
    public static string State()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CtoHarness");
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(root, "ctoharness");
    }

    /// <summary>The per-user cache directory (tools such as bun): $XDG_CACHE_HOME/ctoharness (default ~/.cache/ctoharness).</summary>
    public static string Cache()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CtoHarness", "cache");
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "ctoharness");
    }

    public static string DefaultRuns() => Path.Combine(State(), "runs");

    /// <summary>The durable content-addressed store of admitted provider binaries.</summary>
    public static string DefaultProviderStore() => Path.Combine(State(), "providers");
}
