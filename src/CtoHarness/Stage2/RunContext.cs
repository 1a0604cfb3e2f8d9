using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Fixtures;
using CtoHarness.Processes;
using CtoHarness.Sandbox;

namespace CtoHarness.Stage2;

/// <summary>
/// What every step of one run shares: the request, the fixture, the run directory and its report, the redactor of
/// secrets, the reaper of the run's processes, the cancellation, and the failures found so far.
/// </summary>
internal sealed class RunContext
{
    private readonly Fixture? _fixture;
    private readonly FixtureInvalidException? _invalidFixture;
    private readonly List<Finding> _findings = [];

    private RunContext(Stage2Request request, Fixture? fixture, FixtureInvalidException? invalid, RunDirectory run, string fixtureKey, DateTimeOffset started,
        CancellationToken cancellation)
    {
        Request = request;
        _fixture = fixture;
        _invalidFixture = invalid;
        Run = run;
        FixtureKey = fixtureKey;
        StartedAt = started;
        Cancellation = cancellation;
        Reaper = new RunProcessReaper($"{run.Id}-{Guid.NewGuid():N}");
    }

    public Stage2Request Request { get; }
    public Fixture Fixture => _fixture ?? throw new InvalidOperationException("the fixture was not loaded");
    public RunDirectory Run { get; }
    /// <summary>The fixture's id, or a safe name of its folder when it could not be loaded.</summary>
    public string FixtureKey { get; }
    public DateTimeOffset StartedAt { get; }
    public CancellationToken Cancellation { get; }
    public RunProcessReaper Reaper { get; }
    public SecretRedactor Redactor { get; } = new SecretRedactor().WithBuildEnvironment();
    public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();
    public IReadOnlyList<Finding> Findings => _findings;
    public bool Failed => _findings.Count > 0;

    // What each step found, set by that step only (also when it ends the run); report.json is mapped from these.
    public PreflightRecord? Preflight { get; set; }
    public WorkspaceRecord? Workspace { get; set; }
    public ProviderRecord? Provider { get; set; }
    public ChangesSection? Change { get; set; }
    public GradingRecord? Grading { get; set; }
    private readonly List<SandboxProgram> _programs = [];
    public IReadOnlyList<SandboxProgram> Programs => _programs;

    /// <summary>Records how one program of the run ran in the sandbox (each program, as it ends).</summary>
    public void Ran(string program, ProcessResult result)
    {
        if (result.Sandbox is { } sandboxed)
        {
            _programs.Add(new SandboxProgram { Program = program, Uid = sandboxed.Uid, SeparateUser = sandboxed.SeparateUser, Network = sandboxed.Network });
        }
    }

    /// <summary>
    /// Loads the fixture before the run directory exists, so that the manifest's id names it; an invalid fixture is
    /// reported inside the run like any other failure.
    /// </summary>
    public static RunContext Open(Stage2Request request, CancellationToken cancellation)
    {
        var started = DateTimeOffset.UtcNow;
        var (fixture, invalid) = TryLoad(request.FixtureDirectory);
        var fixtureKey = fixture?.Id ?? FixtureLoader.SafeKey(request.FixtureDirectory);
        // The run id names the attempt when the pair has several: <stamp>-<fixture>-a2of5-<random>.
        var name = request.Attempts > 1 ? $"{fixtureKey}-a{request.Attempt}of{request.Attempts}" : fixtureKey;
        var run = RunDirectory.Create(request.RunsDirectory, name, started);
        return new RunContext(request, fixture, invalid, run, fixtureKey, started, cancellation);
    }

    public void Add(Finding finding) => _findings.Add(finding);

    /// <summary>Runs the steps; whatever ends them (a stop, a limit, a cancellation, a fault of the harness) becomes a finding.</summary>
    public void Attempt(Action steps)
    {
        try
        {
            if (_invalidFixture is not null)
            {
                throw _invalidFixture;
            }
            steps();
        }
        catch (Stage2Stop stop)
        {
            Add(stop.Finding);
        }
        catch (SandboxLimitExceeded e)
        {
            Add(new(FailureKind.SandboxLimit, e.Message, $"program: {e.Program}\nlimit: {e.Limit}\n"));
        }
        catch (FixtureInvalidException e)
        {
            Add(new(FailureKind.FixtureInvalid, e.Message));
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            Add(new(FailureKind.Cancelled, "the build was cancelled; the run's processes were stopped"));
        }
        catch (Exception e)
        {
            Add(new(FailureKind.HarnessError, $"the harness failed: {e.Message}", e.ToString()));
        }
    }

    private static (Fixture? Fixture, FixtureInvalidException? Invalid) TryLoad(string fixtureDirectory)
    {
        try
        {
            return (FixtureLoader.Load(fixtureDirectory), null);
        }
        catch (FixtureInvalidException e)
        {
            return (null, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new FixtureInvalidException($"the fixture '{fixtureDirectory}' cannot be read: {e.Message}"));
        }
    }
}
