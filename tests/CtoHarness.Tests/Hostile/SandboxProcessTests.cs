using CtoHarness.Processes;
using CtoHarness.Sandbox;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Hostile;

/// <summary>
/// One program in the sandbox, below the run supervisor, as every program of a run starts: the kernel's limits and
/// the identity it runs as, in both of the sandbox's modes (a user of its own when the harness is root; the harness's
/// uid in a user namespace otherwise).
/// </summary>
[Trait("Layer", "Process")]
public sealed class SandboxProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ProcessResult Run(string script, SandboxLimits? limits = null, bool userNamespace = false, string[]? hidden = null, string? pathEntry = null)
    {
        var sandbox = Bubblewrap.Find(null, Interpreter, limits ?? SandboxLimits.Default, hidden ?? ["/tmp", _temp.Path], out var reason)
            ?? throw new InvalidOperationException($"no sandbox here: {reason}");
        if (userNamespace)
        {
            sandbox = sandbox with { Uid = null };
        }
        var workspace = _temp.Combine("workspace");
        Directory.CreateDirectory(workspace);
        var environment = AllowedEnvironment.FromCurrentProcess();
        if (pathEntry is not null)
        {
            environment["PATH"] = $"{pathEntry}:{environment["PATH"]}";
        }
        var spec = new ProcessSpec("/bin/sh", ["-c", script], workspace, environment,
            _temp.Combine("out.log"), _temp.Combine("err.log"))
        {
            Timeout = TimeSpan.FromSeconds(60),
            Sandbox = new SandboxedBy(sandbox, new SandboxPolicy("test", [workspace], [], SandboxNetwork.None)),
        };
        return SupervisedProcess.Run(spec, new RunProcessReaper(Guid.NewGuid().ToString("N")), CancellationToken.None);
    }

    private static string Interpreter =>
        (string)typeof(RunProcessReaper).Assembly.GetType("CtoHarness.Processes.RunSupervisor")!.GetProperty("Interpreter")!.GetValue(null)!;

    private string Output => File.ReadAllText(_temp.Combine("out.log"));

    [Fact]
    public void An_allocation_past_the_memory_limit_fails()
    {
        var result = Run("python3 -c 'bytearray(600 * 1024 * 1024)' 2>/dev/null; echo \"big: $?\"; python3 -c 'bytearray(50 * 1024 * 1024)'; echo \"small: $?\"",
            SandboxLimits.Default with { MemoryBytes = 256L << 20 });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("big: 1", Output); // MemoryError
        Assert.Contains("small: 0", Output);
    }

    [Fact]
    public void A_file_past_the_file_size_limit_is_cut_off()
    {
        var result = Run("head -c 33554432 /dev/zero > big.bin; echo \"write: $?\"; wc -c < big.bin", SandboxLimits.Default with { FileBytes = 8L << 20 });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("write: 153", Output); // 128 + SIGXFSZ
        Assert.Contains("8388608", Output);
    }

    [Fact]
    public void The_program_runs_as_a_user_of_its_own_with_no_privileges_to_gain()
    {
        var result = Run("id -u; grep -E '^(NoNewPrivs|CapEff)' /proc/self/status; ls /proc | grep -c '^[0-9]'");

        Assert.Equal(0, result.ExitCode);
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(RunSandbox.DedicatedId.ToString(), lines[0]);
        Assert.Contains(lines, l => l.StartsWith("NoNewPrivs:") && l.EndsWith('1'));
        Assert.Contains(lines, l => l.StartsWith("CapEff:") && l.EndsWith("0000000000000000"));
        Assert.True(result.Sandbox!.SeparateUser);
        Assert.Equal(RunSandbox.DedicatedId, result.Sandbox.Uid);
    }

    [Fact]
    public void In_a_user_namespace_the_init_keeps_its_record_out_of_the_programs_reach()
    {
        // The mode of a harness that is not root: the program keeps the harness's uid, in a user namespace of its own.
        var result = Run("cat /proc/1/fd/3 2>/dev/null && echo 'read the record'; echo '{}' 2>/dev/null > /proc/1/fd/3 && echo 'wrote the record'; echo done",
            userNamespace: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("done", Output.Trim());
        Assert.False(result.Sandbox!.SeparateUser);
        Assert.Equal(HarnessUser.EffectiveId, result.Sandbox.Uid);
        Assert.StartsWith("{\"pid\": 2,", File.ReadAllText(_temp.Combine("out.exit.sandbox.json")));
        Assert.Equal("none", result.Sandbox.Network);
    }

    [Fact]
    public void A_toolchain_shown_from_a_hidden_folder_does_not_show_the_hidden_folders_inside_it()
    {
        // As ~/.local/bin on PATH shows ~/.local, which holds the runs directory (~/.local/state/ctoharness/runs).
        var home = _temp.Combine("home");
        var runs = Path.Combine(home, "state", "runs");
        Directory.CreateDirectory(Path.Combine(home, "bin"));
        Directory.CreateDirectory(Path.Combine(runs, "earlier-run", "backend"));
        File.WriteAllText(Path.Combine(runs, "earlier-run", "backend", "fake-solution.patch"), "the answer");
        File.WriteAllText(Path.Combine(home, "bin", "tool"), "a tool");

        var result = Run($"cat '{home}/bin/tool'; echo; cat '{runs}/earlier-run/backend/fake-solution.patch' 2>/dev/null || echo hidden",
            hidden: ["/tmp", home, runs], pathEntry: Path.Combine(home, "bin"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a tool\nhidden", Output.Trim());
    }
}
