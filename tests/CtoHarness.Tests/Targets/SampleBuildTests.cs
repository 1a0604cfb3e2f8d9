using System.Text.RegularExpressions;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Processes;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Targets;

/// <summary>`dotnet build samples/Stage2Sample -t:CaseStage2` as a user runs it, out of process.</summary>
[Trait("Layer", "Process")]
public sealed class SampleBuildTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private (int ExitCode, string Output) DotnetBuild(IDictionary<string, string>? environment = null, params string[] extra) =>
        Dotnet("CaseStage2", environment, extra);

    private (int ExitCode, string Output) Dotnet(string target, IDictionary<string, string>? environment, params string[] extra) =>
        Infrastructure.Dotnet.Run(TestPaths.RepoRoot, environment,
            ["build", "samples/Stage2Sample", $"-t:{target}", "/nodeReuse:false", "-nologo", $"-p:CtoHarnessRunsDir={_temp.Combine("runs")}", .. extra]);

    [Fact]
    public void The_sample_passes_and_prints_its_run_directory()
    {
        var (exitCode, output) = DotnetBuild();

        Assert.True(exitCode == 0, output);
        var runDirectory = Regex.Match(output, @"status=pass reason=none run=(\S+)").Groups[1].Value;
        var report = ReportAssert.Valid(Path.Combine(runDirectory, "report.json"));
        Assert.Equal(RunStatus.Pass, report.Status);
        Assert.Equal(["strings.py"], report.Changes.Files);
    }

    [Fact]
    public void In_a_terminal_the_terminal_logger_shows_the_runs_page_on_the_projects_line()
    {
        // The Terminal Logger (SDK 9 and later in a terminal) shows no message below detailed verbosity, only a
        // project's output: `script` gives the build a pseudo-terminal, as a developer's shell would.
        var build = string.Join(' ', "dotnet build samples/Stage2Sample -t:CaseStage2 -tl:on /nodeReuse:false", $"-p:CtoHarnessRunsDir={_temp.Combine("runs")}");
        var start = new System.Diagnostics.ProcessStartInfo("script", ["-qec", build, "/dev/null"])
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        using var script = System.Diagnostics.Process.Start(start)!;
        script.StandardInput.Close();
        var output = script.StandardOutput.ReadToEnd();
        Assert.True(script.WaitForExit(TimeSpan.FromMinutes(5)), "the build did not finish");
        var plain = Regex.Replace(output, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b]*\x1b\\", "");

        Assert.True(script.ExitCode == 0, plain);
        Assert.Matches(@"Stage2Sample \S* ?succeeded \([^)]*\) → r1-string-slugify on fake: pass, runs page \S+/runs/index-\S+\.html", plain);
    }

    [Fact]
    public void The_scenario_variable_selects_a_failure_and_the_property_wins_over_it()
    {
        var environment = new Dictionary<string, string> { ["CTO_HARNESS_FAKE_CASE_SCENARIO"] = "noop" };

        var (failedExit, failedOutput) = DotnetBuild(environment);
        var (passedExit, passedOutput) = DotnetBuild(environment, "-p:CtoHarnessFakeScenario=fix");

        Assert.NotEqual(0, failedExit);
        var line = Assert.Single(failedOutput.Split('\n').Where(l => l.Contains("error CTOH402")).Distinct());
        Assert.Matches(@"^\S+report\.json\(1\): error CTOH402: .*Evidence: \S+report\.json", line.Trim());
        Assert.True(passedExit == 0, passedOutput);
    }

    [Fact]
    public async Task A_build_killed_outright_leaves_no_process_of_its_run()
    {
        var runs = _temp.Combine("runs");
        using var build = await StartHangingBuild(runs);

        // Only the process that runs the task (the harness) and the CLI: the run supervisor, its child, survives them.
        var supervisor = Hostility.Marked(runs).Select(p => int.Parse(p[..p.IndexOf(':')]))
            .Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("CtoHarness run supervisor"));
        var harness = int.Parse(File.ReadAllText($"/proc/{supervisor}/stat").Split(") ")[1].Split(' ')[1]);
        Assert.True(Posix.Kill(harness, 9), "SIGKILL to the harness");
        Assert.True(Posix.Kill(build.Id, 9), "SIGKILL to the build");
        build.WaitForExit();

        // The run supervisor sees its harness gone and ends the sandbox, and so everything in it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Hostility.Marked(runs).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Empty(Hostility.Marked(runs));
    }

    /// <summary>
    /// setsid: the build leads a process group of its own, which a terminal's Ctrl+C signals as a whole; python3 gives
    /// SIGINT back its default first, as a terminal's build has it (a test run started in the background inherits it
    /// ignored). Returns once the hanging provider runs.
    /// </summary>
    private static async Task<System.Diagnostics.Process> StartHangingBuild(string runs)
    {
        var start = new System.Diagnostics.ProcessStartInfo("setsid")
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                     "dotnet", "build", "samples/Stage2Sample", "-t:CaseStage2", "/nodeReuse:false", "-nologo",
                     $"-p:CtoHarnessRunsDir={runs}", "-p:CtoHarnessFakeScenario=hang" })
        {
            start.ArgumentList.Add(argument);
        }
        var build = System.Diagnostics.Process.Start(start)!;
        build.StandardInput.Close();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Directory.Exists(runs) || !Directory.EnumerateFiles(runs, "provider.exit.json", SearchOption.AllDirectories).Any())
        {
            Assert.True(DateTime.UtcNow < deadline && !build.HasExited, "the provider never started");
            await Task.Delay(100);
        }
        await Task.Delay(500); // the hanging provider is running now
        return build;
    }

    [Fact]
    public async Task An_interrupt_to_the_build_process_group_is_cancelled_not_a_provider_failure()
    {
        var runs = _temp.Combine("runs");
        using var build = await StartHangingBuild(runs);
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();

        Assert.True(Posix.Kill(-build.Id, 2), "SIGINT to the build's process group");
        if (!build.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            Posix.Kill(-build.Id, 9); // the build's group holds the run supervisor: the sandbox ends with it
            Assert.Fail($"the interrupted build did not end:\n{await output}{await errors}");
        }

        var text = await output + await errors;
        var report = ReportAssert.Valid(Directory.EnumerateFiles(runs, "report.json", SearchOption.AllDirectories).Single());
        Assert.True(report.Status == RunStatus.Cancelled, $"{report.FailureReason} ({report.ErrorCode}): {report.Message}\n{text}");
        Assert.Equal("CTOH502", report.ErrorCode);
        Assert.DoesNotContain("CTOH303", text);
        Assert.Empty(RunProcesses.Surviving(report));
    }

    [Fact]
    public void CaseHealth_passes_and_writes_health_json()
    {
        var (exitCode, output) = Dotnet("CaseHealth", null);

        Assert.True(exitCode == 0, output);
        var healthFile = Regex.Match(output, @"CtoHarness health: ok=true in \d+ ms, (\S+health\.json)").Groups[1].Value;
        SchemaAssert.ValidHealth(healthFile);
        var health = System.Text.Json.JsonSerializer.Deserialize<CtoHarness.Health.HealthReport>(File.ReadAllText(healthFile), JsonFiles.Options)!;
        Assert.True(health.Ok);
        Assert.Contains(health.Checks, c => c.Name == "orphans_reaped" && c.Result == "passed");
    }
}
