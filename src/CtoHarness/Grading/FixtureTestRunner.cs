using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Processes;

namespace CtoHarness.Grading;

public sealed record TestRun(TestRunSection Section, IReadOnlyDictionary<string, string> Outcomes)
{
    /// <summary>Where the run's channels (results, observer, summary, exit code) contradict each other; never a pass.</summary>
    public IReadOnlyList<string> Disagreements => Section.Disagreements;

    /// <summary>A test absent from the output is <see cref="TestOutcome.Missing"/>, never passed.</summary>
    public string Outcome(string id) => Outcomes.GetValueOrDefault(id, TestOutcome.Missing);

    public IReadOnlyList<string> NotPassing(IEnumerable<string> ids) => ids.Where(id => Outcome(id) != TestOutcome.Passed).ToList();

    public IReadOnlyList<string> Passing(IEnumerable<string> ids) => ids.Where(id => Outcome(id) == TestOutcome.Passed).ToList();
}

/// <summary>
/// Runs the fixture's own test command in the workspace, supervised like the provider, under the harness's
/// observer where the command allows it, and decides the outcomes by cross-checking every channel of the run.
/// </summary>
public sealed class FixtureTestRunner(Fixture fixture, RunDirectory run, RunProcessReaper reaper, Sandbox.RunSandbox? sandbox = null,
    Action<string, ProcessResult>? ran = null)
{
    /// <summary>The descriptor the observer writes its record to, when the run supervisor can hand it one.</summary>
    private const int ObserverFd = 4;

    /// <summary>
    /// A verified, read-only folder of restored packages (the package cache) the test command may use as a NuGet
    /// fallback folder; the run's own package folder stays private. Null: restore as usual.
    /// </summary>
    public string? PackageFallback { get; init; }

    /// <summary>Lays the fixture's hidden tests over the workspace (before the final test runs); their paths.</summary>
    public IReadOnlyList<string> InstallHiddenTests() => HiddenTests.Install(fixture, run.Workspace);

    /// <param name="final">A final test run: the hidden tests are laid over the workspace and count too.</param>
    public TestRun Run(string label, CancellationToken cancellation, bool final = false)
    {
        var tests = fixture.Manifest.Tests;
        var (home, temp) = (run.Combine("tests", "home"), run.Combine("tests", "tmp"));
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        // The test command writes its results file where it may write; the harness takes it from there afterwards.
        var output = run.Combine("tests", "out");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
        Directory.CreateDirectory(output);
        var resultsName = $"{label}.{(tests.Format == TrxResultParser.FormatName ? "trx" : "junit.xml")}";
        var written = Path.Combine(output, resultsName);
        var resultsFile = run.Combine("tests", resultsName);
        var observerFile = run.Combine("tests", $"{label}.observed.jsonl");
        File.Delete(observerFile);
        var policy = Policy(label, new() { ["workspace"] = run.Workspace, ["home"] = home, ["tmp"] = temp, ["out"] = output, ["test-cache"] = run.TestCache });
        var inside = policy is null ? (Func<string, string>)(path => path) : policy.InsideOf;
        var command = tests.Command.Select(a => a.Replace(JUnitResultParser.ResultsPlaceholder, inside(written), StringComparison.Ordinal)).ToList();
        // Through a descriptor the supervisor opens outside the sandbox where it can; by path otherwise.
        var byDescriptor = SupervisedProcess.CanPassFiles;
        var observed = TestObserver.Wrap(command, byDescriptor ? $"fd:{ObserverFd}" : observerFile,
            fixture.Manifest.ProtectedPaths.Concat(fixture.HiddenTestFiles).Select(p => inside(Path.Combine(run.Workspace, p))));
        command = observed?.ToList() ?? command;
        var warmed = CompilerWarmUp.Wrap(fixture.Manifest.Project.Language, command);
        command = warmed?.ToList() ?? command;
        var spec = new ProcessSpec(command[0], command.Skip(1).ToList(), run.Workspace, TestEnvironment(inside(home), inside(temp), inside, sharedCompiler: warmed is not null),
            run.Combine("tests", $"{label}.stdout.log"), run.Combine("tests", $"{label}.stderr.log"))
        {
            Timeout = TimeSpan.FromSeconds(tests.TimeoutSeconds),
            PassedFiles = observed is not null && byDescriptor ? [new PassedFile(ObserverFd, observerFile, Write: true)] : [],
            Sandbox = policy is null ? null : new SandboxedBy(sandbox!, policy),
        };
        var result = Execute(spec, label, cancellation);
        TakeResultsFile(written, resultsFile);
        return Judge(spec, result, resultsFile, observerFile, observed is not null, final);
    }

    /// <summary>True when the tests run in the sandbox at the same paths in every run (<see cref="Sandbox.StablePaths"/>).</summary>
    public bool StablePaths => sandbox is not null && SupervisedProcess.CanPassFiles && Sandbox.StablePaths.Available(sandbox);

    /// <summary>
    /// The sandbox of a test run (null: none): it writes only the workspace and its own folders, which it sees at the
    /// same paths in every run where it can, so that a build's outputs (which record their paths) hold from run to run.
    /// </summary>
    /// <param name="writable">The folders it may write, by the name each has below <see cref="Sandbox.StablePaths.Root"/>.</param>
    private Sandbox.SandboxPolicy? Policy(string label, Dictionary<string, string> writable)
    {
        if (sandbox is null)
        {
            return null;
        }
        var network = fixture.Manifest.Tests.Network ? Sandbox.SandboxNetwork.Host : Sandbox.SandboxNetwork.None;
        return new Sandbox.SandboxPolicy($"tests:{label}", [.. writable.Values], PackageFallback is { } fallback ? [fallback] : [], network)
        {
            Inside = StablePaths
                ? writable.ToDictionary(pair => Path.TrimEndingDirectorySeparator(Path.GetFullPath(pair.Value)), pair => $"{Sandbox.StablePaths.Root}/{pair.Key}")
                : new Dictionary<string, string>(),
        };
    }

    /// <summary>The allow-listed environment, the run's own home and temp, the fixture's variables (paths as the tests see them).</summary>
    /// <param name="sharedCompiler">The build may use the compiler server the warm-up starts inside the test program.</param>
    private Dictionary<string, string> TestEnvironment(string home, string temp, Func<string, string> inside, bool sharedCompiler)
    {
        var environment = AllowedEnvironment.FromCurrentProcess();
        environment["HOME"] = home;
        environment["TMPDIR"] = temp;
        // A .NET fixture restores and builds inside the run: its own package folder and CLI home (which the provider
        // cannot write), no reused MSBuild node and no compiler server but the one the warm-up starts inside the test
        // program (none outlives it), nothing shared with the build running the gate.
        Directory.CreateDirectory(run.TestPackages);
        environment["NUGET_PACKAGES"] = inside(run.TestPackages);
        environment["NUGET_HTTP_CACHE_PATH"] = inside(Path.Combine(run.TestCache, "nuget-http"));
        if (PackageFallback is { } fallback)
        {
            // An MSBuild property from the environment: NuGet resolves what it finds there in place, copying nothing.
            environment["RestoreAdditionalProjectFallbackFolders"] = fallback;
        }
        environment["DOTNET_CLI_HOME"] = inside(Path.Combine(run.TestCache, "dotnet-home"));
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = sharedCompiler ? "true" : "false";
        foreach (var (name, value) in fixture.Manifest.Tests.Environment)
        {
            environment[name] = value;
        }
        return environment;
    }

    private ProcessResult Execute(ProcessSpec spec, string label, CancellationToken cancellation)
    {
        var result = SupervisedProcess.Run(spec, reaper, cancellation);
        ran?.Invoke(label, result);
        cancellation.ThrowIfCancellationRequested();
        if (result.LimitExceeded is { } limit)
        {
            throw new Sandbox.SandboxLimitExceeded($"{label} test run", limit);
        }
        if (!result.Started)
        {
            throw new InvalidOperationException($"the fixture's test command '{fixture.Manifest.Tests.Command[0]}' could not be started: {result.StartError}");
        }
        return result;
    }

    /// <summary>The outcomes, decided by cross-checking what the results file, the observer, the output and the exit code say.</summary>
    private TestRun Judge(ProcessSpec spec, ProcessResult result, string resultsFile, string observerFile, bool observerUsed, bool final)
    {
        var printed = File.ReadAllText(spec.StdoutPath) + "\n" + File.ReadAllText(spec.StderrPath);
        var reported = fixture.Manifest.Tests.Format switch
        {
            JUnitResultParser.FormatName => JUnitResultParser.Parse(resultsFile),
            TrxResultParser.FormatName => TrxResultParser.Parse(resultsFile, printed),
            _ => UnittestResultParser.Parse(printed),
        };
        // A timed-out run is judged by what its results say (absent tests are missing); its channels cannot agree.
        var observation = TestObserver.Read(observerFile);
        var (outcomes, disagreements) = result.TimedOut
            ? (ResultCrossCheck.Judge(reported, observed: null, observerUsed: false, exitCode: null).Outcomes, [])
            : ResultCrossCheck.Judge(reported, observation, observerUsed, result.ExitCode);
        var section = new TestRunSection
        {
            ExitCode = result.ExitCode,
            TimedOut = result.TimedOut,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            StdoutLog = run.Relative(spec.StdoutPath),
            StderrLog = run.Relative(spec.StderrPath),
            Results = Entries(outcomes, final),
            Observed = observerUsed,
            BuildErrors = [.. reported.BuildErrors],
            Disagreements = disagreements,
            FrameworkTampering = [.. observation?.Tampering ?? []],
        };
        return new TestRun(section, outcomes);
    }

    /// <summary>Moves the results file into the harness's own folder when it is a regular file; a link, FIFO or device is no results.</summary>
    private static void TakeResultsFile(string written, string resultsFile)
    {
        File.Delete(resultsFile);
        var info = new FileInfo(written);
        if (info.Exists && info.LinkTarget is null && !Posix.IsSpecialFile(written))
        {
            File.Move(written, resultsFile);
        }
    }

    private List<TestResultEntry> Entries(IReadOnlyDictionary<string, string> outcomes, bool final) =>
        fixture.Manifest.FailToPass.Select(id => Entry(id, "failToPass", outcomes))
            .Concat(fixture.Manifest.PassToPass.Select(id => Entry(id, "passToPass", outcomes)))
            .Concat(final ? (fixture.Manifest.HiddenTests?.FailToPass ?? []).Select(id => Entry(id, "hiddenFailToPass", outcomes)) : [])
            .Concat(final ? (fixture.Manifest.HiddenTests?.PassToPass ?? []).Select(id => Entry(id, "hiddenPassToPass", outcomes)) : [])
            .ToList();

    private static TestResultEntry Entry(string id, string kind, IReadOnlyDictionary<string, string> outcomes) =>
        new() { Id = id, Kind = kind, Outcome = outcomes.GetValueOrDefault(id, TestOutcome.Missing) };
}
