using System.Diagnostics;

namespace CtoHarness.Sandbox;

/// <summary>
/// Finds a working bubblewrap and builds the command line that runs one program of a run inside it, below the
/// sandbox init (sandbox_init.py, PID 1 of the run's PID namespace).
/// </summary>
public static class Bubblewrap
{
    /// <summary>The descriptor the sandbox init writes its record to (opened by the run supervisor, outside the sandbox).</summary>
    public const int ReportFd = 3;

    private static readonly Lazy<string> InitScript = new(() =>
    {
        using var stream = typeof(Bubblewrap).Assembly.GetManifestResourceStream("CtoHarness.Sandbox.sandbox_init.py")
            ?? throw new InvalidOperationException("the sandbox init script is missing from the harness assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    private const string SharedTempBytes = "536870912";

    private static readonly Dictionary<string, string?> Probed = new(StringComparer.Ordinal);

    /// <summary>
    /// A sandbox for the runs, or null and why not. <paramref name="tool"/>: empty to look for <c>bwrap</c> on PATH,
    /// a path to use that one, <c>none</c> for no sandbox.
    /// </summary>
    public static RunSandbox? Find(string? tool, string? interpreter, SandboxLimits limits, IEnumerable<string> hidden, out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "this system is not Linux; the sandbox needs Linux namespaces";
            return null;
        }
        if (string.Equals(tool, "none", StringComparison.Ordinal))
        {
            reason = "CtoHarnessSandboxTool=none";
            return null;
        }
        var path = string.IsNullOrEmpty(tool) ? OnPath("bwrap") : tool;
        if (path is null || !File.Exists(path))
        {
            reason = path is null ? "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)" : $"'{path}' does not exist";
            return null;
        }
        if (interpreter is null)
        {
            reason = "no python3 was found for the run supervisor and the sandbox init";
            return null;
        }
        var root = HarnessUser.IsRoot;
        lock (Probed)
        {
            if (!Probed.TryGetValue(path, out reason))
            {
                reason = Probe(path, root);
                Probed[path] = reason;
            }
        }
        if (reason is not null)
        {
            return null;
        }
        var existing = hidden.Where(h => h.Length > 1 && Directory.Exists(h)).Select(h => Path.TrimEndingDirectorySeparator(Path.GetFullPath(h)))
            .Distinct().OrderBy(h => h.Length).ToList();
        return new RunSandbox(path, interpreter, root ? RunSandbox.DedicatedId : null, limits, existing);
    }

    /// <summary>The command that runs <paramref name="argv"/> in the sandbox; the run supervisor opens <see cref="ReportFd"/> for it.</summary>
    public static List<string> Command(RunSandbox sandbox, SandboxPolicy policy, IReadOnlyList<string> argv, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan grace)
    {
        var command = new List<string> { sandbox.Tool, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--as-pid-1" };
        if (policy.Network != SandboxNetwork.Host)
        {
            command.Add("--unshare-net");
        }
        if (sandbox.Uid is null)
        {
            // Not root: a user namespace whose one user (the harness's, outside) is not root inside either, so that
            // nothing in the sandbox holds a capability there (the init's record stays out of the program's reach).
            command.AddRange(["--unshare-user", "--uid", RunSandbox.DedicatedIdText, "--gid", RunSandbox.DedicatedIdText]);
        }
        else
        {
            // The init starts as root of the sandbox with only these capabilities, and gives them up for the program.
            command.AddRange(["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]);
        }
        command.AddRange(["--ro-bind", "/", "/"]);
        var made = new HashSet<string>(StringComparer.Ordinal);
        HideAndGiveBack(command, made, sandbox, environment);
        foreach (var path in sandbox.Shown.Concat(policy.ReadOnly))
        {
            Bind(command, made, "--ro-bind", path);
        }
        foreach (var path in policy.Writable)
        {
            Bind(command, made, "--bind", path, policy.Inside.GetValueOrDefault(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))));
        }
        var forward = "-";
        if (policy is { Network: SandboxNetwork.Relay, Relay: { } relay })
        {
            Bind(command, made, "--bind", relay.SocketPath, RelayBridge.InsidePath);
            forward = $"{relay.RelayPort}:{RelayBridge.InsidePath}";
        }
        // A fresh /dev, whose shared memory is small too (by default a tmpfs of half the machine's memory).
        command.AddRange(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", SharedTempBytes, "--tmpfs", "/dev/shm", "--chdir", policy.InsideOf(workingDirectory), "--"]);
        var limits = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"processes={sandbox.Limits.Processes},memoryBytes={sandbox.Limits.MemoryBytes},fileBytes={sandbox.Limits.FileBytes},openFiles=4096");
        var id = (sandbox.Uid ?? -1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        command.AddRange([sandbox.Interpreter, "-I", "-S", "-c", InitScript.Value, ReportFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            id, id, grace.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), limits, forward, "--", .. argv]);
        return command;
    }

    /// <summary>An empty folder over each outermost hidden folder, the toolchains in them given back read-only, and hidden folders inside those hidden again.</summary>
    private static void HideAndGiveBack(List<string> command, HashSet<string> made, RunSandbox sandbox, IReadOnlyDictionary<string, string> environment)
    {
        // An empty folder over each outermost hidden one (one inside it is hidden with it) ...
        var outermost = sandbox.Hidden.Where(h => !sandbox.Hidden.Any(other => other != h && Inside(h, other))).ToList();
        foreach (var hidden in outermost)
        {
            // The shared temporary folders stay usable (some runtimes put their locks there), but empty, private and small.
            command.AddRange(hidden is "/tmp" or "/var/tmp" ? ["--perms", "1777", "--size", SharedTempBytes, "--tmpfs", hidden] : ["--tmpfs", hidden]);
        }
        var tools = ToolRoots(sandbox, environment).Where(t => outermost.Any(h => Inside(t, h))).ToList();
        foreach (var tool in tools)
        {
            Bind(command, made, "--ro-bind", tool);
        }
        // ... and again over each hidden folder a toolchain given back holds (~/.local/bin shows ~/.local, runs and all).
        foreach (var hidden in sandbox.Hidden.Except(outermost).Where(h => tools.Any(t => h != t && Inside(h, t))))
        {
            command.AddRange(["--tmpfs", hidden]);
        }
    }

    /// <summary>
    /// Folders the programs need that may sit in a hidden folder (a version manager's python in the harness's home):
    /// the interpreter's prefix and each PATH entry (its parent, for <c>bin</c> and <c>shims</c> folders, unless the
    /// parent is or holds a hidden folder: <c>~/bin</c> must not show the home, nor <c>~/.local/bin</c> the runs).
    /// </summary>
    private static IEnumerable<string> ToolRoots(RunSandbox sandbox, IReadOnlyDictionary<string, string> environment)
    {
        var interpreterBin = Path.GetDirectoryName(sandbox.Interpreter);
        if (interpreterBin is not null && Path.GetDirectoryName(interpreterBin) is { } prefix)
        {
            yield return prefix;
        }
        foreach (var variable in new[] { "DOTNET_ROOT" })
        {
            if (environment.TryGetValue(variable, out var value) && Path.IsPathRooted(value))
            {
                yield return value;
            }
        }
        if (environment.TryGetValue("PATH", out var path))
        {
            foreach (var entry in path.Split(Path.PathSeparator).Where(e => Path.IsPathRooted(e) && Directory.Exists(e)))
            {
                var folder = Path.TrimEndingDirectorySeparator(entry);
                var parent = Path.GetDirectoryName(folder)!;
                var wide = Path.GetFileName(folder) is "bin" or "shims" && !sandbox.Hidden.Any(h => Inside(h, parent));
                yield return wide ? parent : folder;
            }
        }
    }

    /// <summary>Binds <paramref name="path"/> at the same place (or at <paramref name="inside"/>); its parents inside a hidden folder are made traversable first.</summary>
    private static void Bind(List<string> command, HashSet<string> made, string kind, string path, string? inside = null)
    {
        var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var full = inside ?? source;
        if (!Path.Exists(source) || !made.Add(full))
        {
            return;
        }
        var parents = new List<string>();
        for (var parent = Path.GetDirectoryName(full); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            parents.Add(parent);
        }
        parents.Reverse();
        foreach (var parent in parents.Where(made.Add))
        {
            command.AddRange(["--perms", "0755", "--dir", parent]);
        }
        command.AddRange([kind, source, full]);
    }

    private static bool Inside(string path, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return full == root || full.StartsWith(root + "/", StringComparison.Ordinal);
    }

    /// <summary>Null when bubblewrap can make the namespaces here; else what it said.</summary>
    private static string? Probe(string tool, bool root)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])[.. root ? [] : new[] { "--unshare-user" }, "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "true"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return $"'{tool}' did not answer within 30 s";
            }
            return process.ExitCode == 0 ? null : $"'{tool}' cannot make the namespaces here: {error.Result.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"'{tool}' cannot be started: {e.Message}";
        }
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(Path.IsPathRooted).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
