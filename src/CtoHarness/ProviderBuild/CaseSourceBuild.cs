using System.Diagnostics;
using CtoHarness.Contracts;

namespace CtoHarness.ProviderBuild;

/// <summary>What to build: the Case source (a URL, a checkout or a git bundle), the commit, where builds and tools are kept.</summary>
public sealed record CaseBuildRequest(string Source, string Commit, string BuildsDirectory, string ToolsDirectory, string BunVersion)
{
    /// <summary>The origin a real clone of Case has; the checkout is given it whatever it was cloned from (admission checks it).</summary>
    public string Repository { get; init; } = Admission.AdmissionRequest.DefaultRepository;
}

/// <summary>A built `ca`: the durable checkout it was built in (its digest depends on it), the binary, the bun that built it.</summary>
public sealed record CaseBuild(string Checkout, string Binary, string Bun, bool Rebuilt);

/// <summary>
/// Builds Case's `ca` from source as its README says (`bun install --frozen-lockfile`, `bun run build:binary`), in a
/// durable folder per commit (never a temporary one: the binary's digest depends on where it was built), with bun
/// installed from the npm registry. One build at a time per commit (a lock file); a build already made with the same
/// bun is not made again. Every step's output goes to the folder's build.log, which a failure points at.
/// </summary>
public static class CaseSourceBuild
{
    public static CaseBuild Build(CaseBuildRequest request, Action<string> progress)
    {
        var home = Path.Combine(request.BuildsDirectory, request.Commit);
        Directory.CreateDirectory(home);
        using var exclusive = BuildLock.Take(Path.Combine(home, ".lock"), progress);
        var log = Path.Combine(home, "build.log");
        var bun = Bun.OnPath(Bun.Find(request.ToolsDirectory, request.BunVersion) ?? Bun.Install(request.ToolsDirectory, request.BunVersion, log, progress),
            Path.Combine(home, "bin"));
        var checkout = Path.Combine(home, "case");
        var binary = Path.Combine(checkout, "dist", "ca");
        var stamp = Path.Combine(home, "built-with");
        var wanted = $"{request.Commit} bun-{request.BunVersion}";
        if (File.Exists(binary) && File.Exists(stamp) && File.ReadAllText(stamp).Trim() == wanted)
        {
            return new CaseBuild(checkout, binary, bun, Rebuilt: false);
        }
        File.WriteAllText(log, "");
        Checkout(request, checkout, log, progress);
        progress($"building ca at {request.Commit[..12]} with bun {request.BunVersion} in {checkout} (log: {log})");
        var path = $"{Path.GetDirectoryName(bun)}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var step in new[] { new[] { "install", "--frozen-lockfile" }, ["run", "build:binary"] })
        {
            var (exitCode, _) = Tool.Run(bun, step, checkout, log, new Dictionary<string, string> { ["PATH"] = path });
            if (exitCode != 0)
            {
                throw new ExpectedFailure(Diagnostics.CaseBuildFailed,
                    $"'bun {string.Join(' ', step)}' in {checkout} exited {exitCode}: {Tool.Tail(log)}", log);
            }
        }
        if (!File.Exists(binary))
        {
            throw new ExpectedFailure(Diagnostics.CaseBuildFailed, $"'bun run build:binary' left no {binary}: {Tool.Tail(log)}", log);
        }
        File.WriteAllText(stamp, wanted + "\n");
        return new CaseBuild(checkout, binary, bun, Rebuilt: true);
    }

    private static void Checkout(CaseBuildRequest request, string checkout, string log, Action<string> progress)
    {
        if (!Directory.Exists(Path.Combine(checkout, ".git")))
        {
            progress($"cloning {request.Source} into {checkout}");
            if (Directory.Exists(checkout))
            {
                Directory.Delete(checkout, recursive: true);
            }
            Git(["clone", "--quiet", "--no-checkout", request.Source, checkout], Path.GetDirectoryName(checkout)!, log);
        }
        Git(["checkout", "--quiet", "--force", request.Commit], checkout, log);
        Git(["remote", "set-url", "origin", request.Repository], checkout, log);
    }

    private static void Git(string[] arguments, string directory, string log)
    {
        int exitCode;
        string output;
        try
        {
            (exitCode, output) = Tool.Run("git", arguments, directory, log, new Dictionary<string, string>());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ExpectedFailure(Diagnostics.CaseSourceUnusable, "git was not found: CaseProviderBuild clones the Case source with it", log);
        }
        if (exitCode != 0)
        {
            throw new ExpectedFailure(Diagnostics.CaseSourceUnusable, $"git {arguments[0]} failed (exit {exitCode}): {output.Trim()}", log);
        }
    }
}

/// <summary>bun from the npm registry, kept per version in the per-user tools folder.</summary>
internal static class Bun
{
    /// <summary>
    /// The build's scripts call `bun` by name, and the npm package's binary may be named otherwise (bun.exe): a link
    /// named bun in <paramref name="folder"/>, which goes first on the build's PATH.
    /// </summary>
    public static string OnPath(string bun, string folder)
    {
        Directory.CreateDirectory(folder);
        var link = Path.Combine(folder, "bun");
        if (new FileInfo(link).LinkTarget != bun)
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, bun);
        }
        return link;
    }

    /// <summary>The first runnable bun the npm package left (its launcher, or the platform package's binary).</summary>
    public static string? Find(string toolsDirectory, string version)
    {
        var home = Path.Combine(toolsDirectory, $"bun-{version}", "node_modules");
        foreach (var candidate in new[] { Path.Combine(home, ".bin", "bun"), Path.Combine(home, "@oven", "bun-linux-x64", "bin", "bun"),
                     Path.Combine(home, "@oven", "bun-linux-x64-baseline", "bin", "bun"), Path.Combine(home, "@oven", "bun-linux-aarch64", "bin", "bun") })
        {
            var resolved = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            if (File.Exists(resolved) && new FileInfo(resolved).Length > 0 && Tool.Runs(resolved, "--version"))
            {
                return resolved;
            }
        }
        return null;
    }

    public static string Install(string toolsDirectory, string version, string log, Action<string> progress)
    {
        var home = Path.Combine(toolsDirectory, $"bun-{version}");
        Directory.CreateDirectory(home);
        progress($"installing bun {version} from the npm registry into {home}");
        int exitCode;
        try
        {
            (exitCode, _) = Tool.Run("npm", ["install", "--prefix", home, $"bun@{version}", "--no-audit", "--no-fund", "--loglevel=error"], home, log,
                new Dictionary<string, string>());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ExpectedFailure(Diagnostics.NoBunInstall, "npm was not found: CaseProviderBuild installs bun with it (install Node.js 18 or later with npm)", log);
        }
        if (exitCode != 0)
        {
            throw new ExpectedFailure(Diagnostics.NoBunInstall, $"npm install bun@{version} exited {exitCode}: {Tool.Tail(log)}", log);
        }
        return Find(toolsDirectory, version)
               ?? throw new ExpectedFailure(Diagnostics.NoBunInstall, $"npm installed bun@{version} but no runnable bun binary is under {home}", log);
    }
}

/// <summary>The build's child processes: output appended to the log, a bound on each.</summary>
internal static class Tool
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(20);

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string directory, string log, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        File.AppendAllText(log, $"$ {file} {string.Join(' ', start.ArgumentList)}\n{output}\n[exit {process.ExitCode}]\n");
        return (process.ExitCode, output);
    }

    public static bool Runs(string file, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit(TimeSpan.FromSeconds(30));
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The log's last lines, quoted in an error.</summary>
    public static string Tail(string log, int lines = 12) =>
        string.Join(" | ", File.ReadLines(log).Where(l => l.Trim().Length > 0).TakeLast(lines).Select(l => l.Trim()));
}

/// <summary>One build per commit at a time: a lock file held open exclusively, waited for.</summary>
internal sealed class BuildLock(FileStream held) : IDisposable
{
    public static BuildLock Take(string path, Action<string> progress)
    {
        var said = false;
        while (true)
        {
            try
            {
                return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!said)
                {
                    progress($"waiting for another build of this commit ({path})");
                    said = true;
                }
                Thread.Sleep(500);
            }
        }
    }

    public void Dispose() => held.Dispose();
}
