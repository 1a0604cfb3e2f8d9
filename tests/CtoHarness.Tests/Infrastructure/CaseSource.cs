using CtoHarness.Admission;
using CtoHarness.Workspace;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// A stand-in for a Case source checkout made by the test: a real git repository whose origin is the
/// pinned repository, a tracked file the "build" rewrites, and a generated dist/ca that records each run.
/// </summary>
public sealed class CaseSource : IDisposable
{
    private readonly TempDirectory _temp = new();

    public CaseSource(string origin = "git@github.com:workos/case.git")
    {
        Checkout = _temp.Combine("case");
        Directory.CreateDirectory(Path.Combine(Checkout, "src", "generated"));
        File.WriteAllText(Path.Combine(Checkout, "package.json"), "{\"name\":\"case\"}\n");
        File.WriteAllText(Path.Combine(Checkout, "src", "generated", "package-assets.ts"), "export const assets = {};\n");
        Git.Run(Checkout, "init", "--quiet", "--template=", "--initial-branch=main");
        Git.Run(Checkout, "remote", "add", "origin", origin);
        Git.Run(Checkout, "add", "--all");
        Git.Run(Checkout, "commit", "--quiet", "-m", "case source");
        Commit = Git.Run(Checkout, "rev-parse", "HEAD").Trim();
        // Ignored build output, as in the real repository.
        Directory.CreateDirectory(Path.Combine(Checkout, ".git", "info"));
        File.WriteAllText(Path.Combine(Checkout, ".git", "info", "exclude"), "dist/\nnode_modules/\n");
        // Admission refuses temporary directories, and the clone itself may live in one: use the per-user state directory.
        Store = Path.Combine(CtoHarness.Configuration.HarnessDirectories.State(), "test-stores", Guid.NewGuid().ToString("N")[..12]);
        LockFile = _temp.Combine("case-provider.lock.json");
    }

    public string Checkout { get; }
    public string Commit { get; }
    /// <summary>A durable store outside the temporary directory, as admission requires.</summary>
    public string Store { get; }
    public string LockFile { get; }
    public string Binary => Path.Combine(Checkout, "dist", "ca");
    public string Temp => _temp.Path;

    /// <summary>Writes dist/ca: a script that appends its own path and tag to <paramref name="record"/> when run.</summary>
    public string Build(string tag = "admitted", bool rewriteTrackedFile = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Binary)!);
        WriteScript(Binary, tag);
        if (rewriteTrackedFile)
        {
            File.AppendAllText(Path.Combine(Checkout, "src", "generated", "package-assets.ts"), "// generated\n");
        }
        return Binary;
    }

    /// <summary>
    /// What a fake-backed stand-in reads besides itself: the fake provider in this repository's build output, which the
    /// sandbox hides when the checkout lies in a hidden folder (under /tmp or a home), as CtoHarnessSandboxReadOnly.
    /// </summary>
    public static string StandInReadOnly => Path.GetDirectoryName(TestPaths.FakeProviderAssembly)!;

    /// <summary>Where a stand-in run outside any sandbox records itself (a test that starts it directly).</summary>
    public string RecordPath => _temp.Combine("ca-runs.log");

    /// <summary>
    /// Where a stand-in run by the harness records itself: its private home in the run, the only place besides the
    /// workspace it may write (the sandbox hides this test's temporary directory).
    /// </summary>
    public static string RecordPathOf(string runDirectory) => Path.Combine(runDirectory, "backend", "home", "ca-runs.log");

    /// <summary>The record file: the test's own when it is reachable (no sandbox), else the one in the run's home.</summary>
    private string RecordTarget => $"\"$( [ -w '{_temp.Path}' ] && echo '{RecordPath}' || echo \"$HOME/ca-runs.log\" )\"";

    public void WriteScript(string path, string tag)
    {
        File.WriteAllText(path, $"#!/bin/sh\necho \"{tag} $0\" >> {RecordTarget}\necho 'Fatal: stand-in ca'>&2\nexit 1\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// A stand-in `ca` for the case lane: records its working directory and environment, optionally prints
    /// its key (as a careless model would), runs <paramref name="hostile"/> (shell, in the workspace, as a model's
    /// commands would), then hands over to the fake provider with the fixture's solution (or <paramref name="scenario"/>).
    /// </summary>
    public string BuildFakeBackedCa(bool printKey = false, string hostile = "", string scenario = "fix", string? fixture = null)
    {
        // The solution travels inside the script: the sandbox hides this test's temporary directory.
        var solution = File.ReadAllText(Path.Combine(fixture ?? TestPaths.SlugifyFixture, "solution.patch"));
        Directory.CreateDirectory(Path.GetDirectoryName(Binary)!);
        var printLine = printKey ? "echo \"[unattended] using key $OPENAI_API_KEY\"\n" : "";
        File.WriteAllText(Binary,
            "#!/bin/sh\n" +
            $"record={RecordTarget}\n" +
            "pwd > \"$record.pwd\"\n" +
            "env > \"$record.env\"\n" +
            "cat > \"$TMPDIR/stand-in-solution.patch\" <<'CTOHARNESS_SOLUTION'\n" + solution + (solution.EndsWith('\n') ? "" : "\n") + "CTOHARNESS_SOLUTION\n" +
            printLine +
            hostile + "\n" +
            $"exec env CTO_HARNESS_FAKE_CASE_SCENARIO={scenario} CTO_HARNESS_FAKE_CASE_SOLUTION=\"$TMPDIR/stand-in-solution.patch\" DOTNET_EnableDiagnostics=0 '{CtoHarness.Backend.DotnetHost.Locate()}' '{TestPaths.FakeProviderAssembly}' \"$@\"\n");
        File.SetUnixFileMode(Binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.AppendAllText(Path.Combine(Checkout, "src", "generated", "package-assets.ts"), "// generated\n");
        return Binary;
    }

    public AdmissionRequest Request() => new(Checkout, LockFile, Store)
    {
        Commit = Commit,
        Repository = "https://github.com/workos/case.git",
        AllowedModifiedFiles = ["src/generated/package-assets.ts"],
    };

    public ProviderLock Admit() => CaseProviderAdmission.Admit(Request()).Lock;

    public void Dispose()
    {
        _temp.Dispose();
        if (Directory.Exists(Store))
        {
            foreach (var file in Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            Directory.Delete(Store, recursive: true);
        }
    }
}
