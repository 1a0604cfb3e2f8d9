using CtoHarness.Contracts;

namespace CtoHarness.Stage2;

/// <summary>How a run ended: the verdict's fields, the markers written, and the file that best shows why.</summary>
internal sealed record Conclusion(RunStatus Status, string? FailureReason, string? ErrorCode, string Message, IReadOnlyList<string> Markers, string EvidencePath);

/// <summary>
/// report.json from what the run's steps recorded, whichever of them finished: the one place a report is assembled,
/// on every path (a part a step never reached keeps its empty default).
/// </summary>
internal static class ReportMapper
{
    public static Stage2Report Map(RunContext context, Conclusion conclusion, List<EvidenceFile> evidence)
    {
        var (request, preflight) = (context.Request, context.Preflight);
        return new Stage2Report
        {
            RunId = context.Run.Id,
            RunDirectory = context.Run.Path,
            Lane = request.Lane.Name,
            Attempt = request.Attempt,
            Attempts = request.Attempts,
            StartedAt = context.StartedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            DurationMs = context.Clock.ElapsedMilliseconds,
            Status = conclusion.Status,
            FailureReason = conclusion.FailureReason,
            ErrorCode = conclusion.ErrorCode,
            Message = conclusion.Message,
            Markers = [.. conclusion.Markers],
            Fixture = new FixtureSection { Id = context.FixtureKey, SourcePath = Path.GetFullPath(request.FixtureDirectory), Digest = preflight?.FixtureDigest },
            Provider = preflight?.Provider ?? new ProviderSection { Kind = request.Launch.Kind, ExecutablePath = request.Launch.ExecutablePath },
            Model = Model(preflight?.Model, context.Provider),
            Backend = Backend(context),
            Changes = WithSetAside(context.Change ?? new ChangesSection(), context.Grading?.SetAside ?? []),
            Tests = new TestsSection
            {
                Command = [.. preflight?.TestsCommand ?? []],
                Baseline = context.Workspace?.Baseline,
                PackageCache = context.Workspace?.PackageCache,
                BaselineRecord = context.Workspace?.BaselineRecord,
                Final = context.Grading?.Final,
                FinalRepeats = [.. context.Grading?.Repeats ?? []],
                HiddenFiles = [.. context.Grading?.HiddenFiles ?? []],
            },
            Sandbox = Sandbox(preflight?.Sandbox, context.Programs),
            Evidence = evidence,
        };
    }

    private static ChangesSection WithSetAside(ChangesSection changes, IReadOnlyList<string> setAside)
    {
        changes.SetAside = [.. setAside];
        return changes;
    }

    private static ModelSection Model(ModelSection? decided, ProviderRecord? provider)
    {
        var model = decided ?? new ModelSection();
        return new ModelSection
        {
            Requested = model.Requested,
            Configured = model.Configured,
            Admitted = model.Admitted,
            Local = model.Local,
            BaseUrl = model.BaseUrl,
            Upstream = model.Upstream,
            Traffic = provider?.Traffic,
            Cost = provider?.Cost,
            ConfigurationFiles = [.. provider?.ConfigurationFiles ?? []],
        };
    }

    private static BackendSection Backend(RunContext context)
    {
        var (provider, result) = (context.Provider, context.Provider?.Result);
        return new BackendSection
        {
            TimeoutSeconds = context.Request.TimeoutSeconds,
            ProcessMarker = context.Workspace?.ProcessMarker,
            Profile = provider?.Profile,
            CommandLine = [.. provider?.CommandLine ?? []],
            CaseProcessStarted = result?.Started ?? false,
            ExitCode = result is { Started: true } ? result.ExitCode : null,
            TimedOut = result?.TimedOut ?? false,
            DurationMs = (long)(result?.Duration.TotalMilliseconds ?? 0),
            StdoutLog = result is null ? null : context.Run.Relative(context.Run.ProviderStdout),
            StderrLog = result is null ? null : context.Run.Relative(context.Run.ProviderStderr),
            StdoutBytes = result?.Stdout.TotalBytes ?? 0,
            StderrBytes = result?.Stderr.TotalBytes ?? 0,
            StdoutTruncated = result?.Stdout.Truncated ?? false,
            StderrTruncated = result?.Stderr.Truncated ?? false,
            ProcessesReaped = result?.OrphansReaped ?? 0,
            ProcessContainment = result is null ? null : result.Sandbox is not null ? "pid-namespace" : result.Contained ? "subreaper" : "marker",
            Outcome = provider?.Outcome,
            FailedAgent = provider?.FailedAgent,
        };
    }

    private static SandboxSection Sandbox(SandboxSection? decided, IReadOnlyList<SandboxProgram> programs)
    {
        var sandbox = decided ?? new SandboxSection();
        return new SandboxSection
        {
            Kind = sandbox.Kind,
            Tool = sandbox.Tool,
            Required = sandbox.Required,
            Warning = sandbox.Warning,
            Limits = sandbox.Limits,
            Programs = [.. programs],
        };
    }
}
