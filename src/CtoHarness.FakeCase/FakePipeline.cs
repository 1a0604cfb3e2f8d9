using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CtoHarness.Fake;

namespace CtoHarness.FakeCase;

/// <summary>The agent pipeline, scripted: each scenario ends the way real Case ends in that situation.</summary>
internal sealed class FakePipeline(CaseSetup setup, string scenario)
{
    private readonly CaseState _state = new(setup.RepoPath, setup.Task["id"]?.GetValue<string>() ?? "task");

    public int Run()
    {
        if (setup.Profile is not ("tiny" or "standard"))
        {
            // Real Case has no guard here: an unknown profile dies with a runtime error.
            Console.Error.WriteLine($"TypeError: undefined is not an object (evaluating 'PROFILES[\"{setup.Profile}\"].phases')");
            return 1;
        }

        setup.SetTaskStatus("implementing");
        CaseConsole.Log("info", "pipeline starting", ("task", setup.Task["id"]?.GetValue<string>()), ("profile", setup.Profile),
            ("model", $"{setup.Provider}/{setup.Model}"));
        CaseConsole.Say($"Starting implementer phase ({setup.Provider}/{setup.Model})...");

        if (setup.ApiKey is null)
        {
            // No key reaches the agent (e.g. a custom provider name): no request is sent, the agent fails.
            CaseConsole.Log("error", "agent failed", ("agent", "implementer"), ("error", $"No API key for provider: {setup.Provider}"));
            return Finish(completed: false, "implementer");
        }

        if (Misbehave() is { } ended)
        {
            return ended;
        }

        if (scenario != FakeScenario.Noop && !ApplySolution())
        {
            return Finish(completed: false, "implementer");
        }
        if (scenario == FakeScenario.TamperTests)
        {
            TamperWithTests();
        }
        if (scenario == FakeScenario.DeleteGit)
        {
            Directory.Delete(Path.Combine(setup.RepoPath, ".git"), recursive: true);
        }
        CaseConsole.Log("info", "agent completed", ("agent", "implementer"), ("result", AgentResult()));
        if (scenario == FakeScenario.FailAtReviewer)
        {
            CaseConsole.Say("Starting reviewer phase...");
            CaseConsole.Log("error", "agent failed", ("agent", "reviewer"), ("error", "reviewer found blocking issues"));
            return Finish(completed: false, "reviewer");
        }
        return Finish(completed: true, null);
    }

    /// <summary>The scenarios that end the pipeline before the implementer's change (a hang, a crash, no result block); null goes on.</summary>
    private int? Misbehave()
    {
        switch (scenario)
        {
            case FakeScenario.Hang:
                Thread.Sleep(Timeout.Infinite);
                return 0;
            case FakeScenario.HangWithDetachedChild:
                StartDetachedChild();
                Thread.Sleep(Timeout.Infinite);
                return 0;
            case FakeScenario.HangIgnoringTerm:
                using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true))
                {
                    Thread.Sleep(Timeout.Infinite);
                }
                return 0;
            case FakeScenario.Crash:
                CaseConsole.Log("info", "agent started", ("agent", "implementer"));
                KillSelf();
                return 0;
            case FakeScenario.NoAgentResult:
                // The lines real Case logs when the implementer answers without a result block, also on its one retry.
                CaseConsole.Log("info", "phase:implement", ("phase", "implement"), ("status", "failed"), ("error", "AGENT_RESULT start delimiter not found"));
                CaseConsole.Log("info", "phase:implement", ("phase", "implement"), ("status", "retrying"), ("failureClass", "agent-protocol-error"));
                CaseConsole.Log("info", "phase:implement", ("phase", "implement"), ("status", "retry-failed"), ("error", "AGENT_RESULT start delimiter not found"));
                return Finish(completed: false, "implementer");
            case FakeScenario.Flood:
                Flood();
                break;
            case FakeScenario.DetachedChild:
                StartDetachedChild();
                break;
        }
        return null;
    }

    private int Finish(bool completed, string? failedAgent)
    {
        _state.Event("pipeline_end", ("outcome", completed ? "completed" : "failed"), ("failedAgent", failedAgent));
        setup.SetTaskStatus(completed ? "pr-opened" : "implementing");
        if (completed)
        {
            CaseConsole.Log("info", "pipeline finished", ("outcome", "completed"));
            CaseConsole.Say("Pipeline completed successfully.");
        }
        else
        {
            CaseConsole.Log("info", "pipeline finished", ("outcome", "failed"), ("failedAgent", failedAgent));
            CaseConsole.Say($"Pipeline failed at {failedAgent} phase.");
        }
        return 0; // real Case exits 0 whether its pipeline completed or failed
    }

    private bool ApplySolution()
    {
        var solution = Environment.GetEnvironmentVariable(FakeScenario.SolutionVariable);
        if (string.IsNullOrEmpty(solution) || !File.Exists(solution))
        {
            CaseConsole.Log("error", "agent failed", ("agent", "implementer"), ("error", "no reference solution was given to the fake provider"));
            return false;
        }
        var git = Process.Start(new ProcessStartInfo("git", ["apply", "--whitespace=nowarn", solution])
        {
            WorkingDirectory = setup.RepoPath,
            RedirectStandardError = true,
        })!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            CaseConsole.Log("error", "agent failed", ("agent", "implementer"), ("error", $"git apply failed: {error.Trim()}"));
            return false;
        }
        return true;
    }

    private void TamperWithTests()
    {
        foreach (var test in Directory.EnumerateFiles(setup.RepoPath, "test*", SearchOption.TopDirectoryOnly))
        {
            File.AppendAllText(test, "\n# edited by the agent\n");
        }
    }

    private static string AgentResult() =>
        "<<<AGENT_RESULT\n{\"status\":\"completed\",\"summary\":\"fixed\",\"artifacts\":{\"filesChanged\":[],\"testsPassed\":true},\"error\":null}\nAGENT_RESULT>>>";

    private static void Flood()
    {
        var total = long.TryParse(Environment.GetEnvironmentVariable(FakeScenario.FloodBytesVariable), out var n) ? n : 32L * 1024 * 1024;
        var line = Encoding.UTF8.GetBytes("[unattended] " + new string('x', 1010) + "\n");
        using var stdout = Console.OpenStandardOutput();
        for (long written = 0; written < total; written += line.Length)
        {
            stdout.Write(line);
        }
        stdout.Flush();
    }

    /// <summary>Like Case's bash tool: a command in its own session that outlives Case and holds its stdout.</summary>
    private static void StartDetachedChild() =>
        Process.Start(new ProcessStartInfo("setsid", ["sleep", "3600"]) { UseShellExecute = false });

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    private static void KillSelf()
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.Exit(unchecked((int)0xC0000005));
        }
        SysKill(Environment.ProcessId, 9);
        Thread.Sleep(Timeout.Infinite);
    }
}
