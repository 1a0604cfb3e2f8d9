using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Fixtures;
using CtoHarness.Lanes;
using CtoHarness.Replay;
using CtoHarness.Settings;
using CtoHarness.Stage2;

namespace CtoHarness.FixtureCheck;

/// <summary>One problem of a fixture, with the file its author should open.</summary>
public sealed record FixtureProblem(string Code, string File, string Message);

/// <summary>What a check of one fixture found, and the runs it made (their reports are the evidence).</summary>
public sealed record FixtureCheckResult(string FixtureDirectory, IReadOnlyList<FixtureProblem> Problems, IReadOnlyList<Stage2Result> Runs);

/// <summary>
/// Checks a fixture as its author would before committing it: the manifest is valid; every file the test command runs
/// is protected; on the fake lane (which applies the reference solution) the baseline fails and passes as declared,
/// the solution makes every test pass, and the final outcome is the same over the repeats; each cassette beside it is
/// valid and, when an admitted <c>ca</c> is there, replays. The runs are ordinary runs, so the evidence is theirs.
/// </summary>
public static class FixtureChecker
{
    /// <param name="settings">The runs' settings (runs directory, fake provider, sandbox, lock); lanes and fixtures are set here.</param>
    public static FixtureCheckResult Check(string fixtureDirectory, Stage2Settings settings, int repeats, CancellationToken cancellation = default)
    {
        var directory = Path.GetFullPath(fixtureDirectory);
        var manifest = Path.Combine(directory, FixtureManifest.FileName);
        Fixture fixture;
        try
        {
            fixture = FixtureLoader.Load(directory);
        }
        catch (FixtureInvalidException e)
        {
            return new(directory, [new(Diagnostics.FixtureInvalid.Code, manifest, e.Message)], []);
        }
        var problems = Unprotected(fixture).ToList();
        var runs = new List<Stage2Result>();
        var solved = RunOn(FakeProviderLane.Id, settings with { FakeScenario = Fake.FakeScenario.Fix, TestRepeats = repeats.ToString(System.Globalization.CultureInfo.InvariantCulture) }, directory, problems, cancellation);
        if (solved is not null)
        {
            runs.Add(solved);
            problems.AddRange(OfSolvedRun(fixture, solved, repeats));
        }
        foreach (var cassette in Directory.GetFiles(directory, "model.cassette*.json").Order(StringComparer.Ordinal))
        {
            if (Replayed(cassette, directory, settings, problems, cancellation) is { } replay)
            {
                runs.Add(replay);
            }
        }
        return new(directory, problems, runs);
    }

    private static IEnumerable<FixtureProblem> Unprotected(Fixture fixture) =>
        TestFiles.Of(fixture).Where(file => !fixture.Manifest.ProtectedPaths.Contains(file)).Select(file =>
            new FixtureProblem(Diagnostics.FixtureTestUnprotected.Code, Path.Combine(fixture.SourcesDirectory, file),
                $"'{file}' is run by the test command ({string.Join(' ', fixture.Manifest.Tests.Command)}) but is not in protectedPaths: an agent could pass by editing it. Add it to protectedPaths in {FixtureManifest.FileName}."));

    /// <summary>What the fake lane's run with the reference solution says about the fixture.</summary>
    private static IEnumerable<FixtureProblem> OfSolvedRun(Fixture fixture, Stage2Result run, int repeats)
    {
        var report = run.Report;
        var manifest = Path.Combine(fixture.Directory, FixtureManifest.FileName);
        if (report.Status == RunStatus.Pass)
        {
            yield break;
        }
        if (report.ErrorCode == Diagnostics.FixtureInvalid.Code && report.Message?.Contains("baseline is not as declared", StringComparison.Ordinal) == true)
        {
            yield return new(Diagnostics.FixtureBaselineNotDeclared.Code, manifest, $"{report.Message} (baseline run: {run.EvidencePath}).");
        }
        else if (report.ErrorCode == Diagnostics.FixtureInvalid.Code)
        {
            yield return new(Diagnostics.FixtureInvalid.Code, fixture.SolutionPatchPath ?? manifest, $"{report.Message} (evidence: {run.EvidencePath}).");
        }
        else if (Flipped(report.Tests) is { Count: > 0 } flipped)
        {
            yield return new(Diagnostics.FixtureOutcomeFlips.Code, manifest,
                $"over {repeats} final test runs with the reference solution these tests changed their outcome: {string.Join(", ", flipped)} (report: {run.ReportPath}).");
        }
        else if (report.ErrorCode == Diagnostics.TestsFailed.Code)
        {
            yield return new(Diagnostics.FixtureSolutionFails.Code, fixture.SolutionPatchPath ?? manifest, $"with the reference solution applied: {report.Message} (report: {run.ReportPath}).");
        }
        else
        {
            yield return new(report.ErrorCode ?? Diagnostics.HarnessError.Code, run.EvidencePath, $"the check's run ended {report.Status.ToString().ToLowerInvariant()}: {report.FailureReason}: {report.Message}");
        }
    }

    /// <summary>The tests whose outcome in some repeat of the final run differs from the first final run.</summary>
    private static List<string> Flipped(TestsSection tests)
    {
        var first = (tests.Final?.Results ?? []).ToDictionary(r => r.Id, r => r.Outcome);
        return tests.FinalRepeats
            .SelectMany(repeat => repeat.Results.Where(r => first.GetValueOrDefault(r.Id) != r.Outcome).Select(r => $"{r.Id} ({first.GetValueOrDefault(r.Id) ?? "missing"}, then {r.Outcome})"))
            .Distinct()
            .ToList();
    }

    /// <summary>A cassette is read and checked always; replayed with the admitted ca when there is one.</summary>
    private static Stage2Result? Replayed(string cassette, string directory, Stage2Settings settings, List<FixtureProblem> problems, CancellationToken cancellation)
    {
        try
        {
            Cassette.Read(cassette);
        }
        catch (CassetteInvalidException e)
        {
            problems.Add(new(Diagnostics.FixtureCassetteDoesNotReplay.Code, cassette, e.Message));
            return null;
        }
        if (settings.CaseLockFile is not { } lockFile || !File.Exists(lockFile))
        {
            return null;
        }
        var replay = RunOn(ReplayLane.Id, settings with { ModelCassette = cassette, TestRepeats = "1" }, directory, problems, cancellation);
        if (replay is { Passed: false })
        {
            problems.Add(new(Diagnostics.FixtureCassetteDoesNotReplay.Code, cassette,
                $"replayed with the admitted ca it ended {replay.Report.Status.ToString().ToLowerInvariant()}: {replay.Report.FailureReason} ({replay.Report.ErrorCode}): {replay.Report.Message} (report: {replay.ReportPath}). Record it again (build/record-cassettes.sh, or CaseModelCassette)."));
        }
        return replay;
    }

    private static Stage2Result? RunOn(string lane, Stage2Settings settings, string directory, List<FixtureProblem> problems, CancellationToken cancellation)
    {
        // The check judges the fixture's baseline itself: it never takes one an earlier run recorded.
        var (requests, errors) = Stage2Planner.Plan(settings with { Lane = lane, Fixtures = [directory], ReuseBaseline = "false" });
        foreach (var error in errors)
        {
            problems.Add(new(error.Code, Path.Combine(directory, FixtureManifest.FileName), error.Message));
        }
        return errors.Count > 0 ? null : Stage2Runner.Run(requests.Single(), cancellation);
    }
}
