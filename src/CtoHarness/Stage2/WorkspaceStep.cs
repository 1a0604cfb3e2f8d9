using CtoHarness.Grading;
using CtoHarness.Packages;
using CtoHarness.Workspace;

namespace CtoHarness.Stage2;

/// <summary>The workspace as the provider gets it: its baseline repository, its test runner, the baseline run, the protected files' digests.</summary>
internal sealed record PreparedWorkspace(BaselineRepository Baseline, FixtureTestRunner Tests, ProtectedFiles Protected, BuildOutputs Outputs);

/// <summary>
/// The workspace (a copy of the fixture's sources only, committed as one baseline) and the baseline tests: the
/// fixture's fail-to-pass tests must fail and its pass-to-pass tests pass before the provider runs, or the fixture is invalid.
/// </summary>
internal static class WorkspaceStep
{
    public static PreparedWorkspace Run(RunContext context, PreflightResult preflight)
    {
        var (fixture, run) = (context.Fixture, context.Run);
        context.Workspace = new WorkspaceRecord(context.Reaper.Marker, null);
        var baseline = WorkspaceBuilder.Create(fixture, run.Workspace, run.HarnessGit);
        Verdicts.CheckSolutionApplies(fixture, baseline);
        var cache = Packages(context, sandboxed: preflight.Sandbox is not null);
        var tests = new FixtureTestRunner(fixture, run, context.Reaper, preflight.Sandbox, (label, result) => context.Ran($"tests:{label}", result))
        {
            PackageFallback = cache?.Verified,
        };
        var reuse = BaselineReuse.For(context, preflight, tests);
        // A recorded baseline is used only where the final tests can restore offline too: from the verified package cache.
        var reused = cache is { Verified: null } ? null : reuse?.Reuse(run);
        var baselineTests = reused ?? tests.Run("baseline", context.Cancellation);
        context.Workspace = context.Workspace with { Baseline = baselineTests.Section, PackageCache = cache?.Note, PackageFallback = cache is null ? null : cache.Verified ?? "" };
        Verdicts.ValidateBaseline(fixture, baselineTests);
        // Taken before any provider ran: the final run starts from these outputs, not from what the agent leaves (a
        // reused baseline's are kept with its record where paths are stable; else the final run builds from the sources).
        var outputs = new BuildOutputs(baseline, reused is null ? run.BaselineOutputs : reuse!.Outputs ?? run.BaselineOutputs);
        if (reused is not null)
        {
            outputs.PutBack();
        }
        else
        {
            outputs.KeepBaseline();
            if (cache is { Verified: null } && cache.Cache.Keep(cache.Key, run.TestPackages))
            {
                // Taken after the baseline and before any provider ran: nothing the agent does can reach it.
                context.Workspace = context.Workspace with { PackageCache = $"kept {Path.Combine(cache.Cache.Root, cache.Key)}" };
            }
            if (cache is { Verified: null })
            {
                // Its build outputs name this run's own package folder: the record is made by a run restoring from the cache.
                reuse?.Skip("not recorded: this run restored without the package cache; a run that restores from it records the baseline");
            }
            else
            {
                reuse?.Record(run, baselineTests);
            }
        }
        context.Workspace = context.Workspace with { BaselineRecord = reuse?.Note };
        return new PreparedWorkspace(baseline, tests, ProtectedFiles.Snapshot(run.Workspace, fixture.Manifest.ProtectedPaths), outputs);
    }

    private sealed record CachedPackages(NuGetPackageCache Cache, string Key, string? Verified, string? Note);

    /// <summary>The package cache of a .NET fixture, verified; null for a fixture that restores no NuGet packages.</summary>
    private static CachedPackages? Packages(RunContext context, bool sandboxed)
    {
        if (context.Request.PackageCacheDirectory is not { } root || NuGetPackageCache.KeyOf(context.Fixture) is not { } key)
        {
            return null;
        }
        var cache = new NuGetPackageCache(root);
        var (verified, problem) = cache.Verified(key, sandboxed);
        return new CachedPackages(cache, key, verified, verified is not null ? $"used {verified}" : problem ?? "none yet");
    }
}
