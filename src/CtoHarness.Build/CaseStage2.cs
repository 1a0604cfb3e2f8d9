using CtoHarness.Configuration;
using CtoHarness.Reporting;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using Microsoft.Build.Framework;
using CtoHarness.Contracts;

namespace CtoHarness.Build;

/// <summary>Runs Stage 2 for every fixture on the selected lane; every run that does not pass is a coded error.</summary>
public sealed class CaseStage2 : CtoHarnessTask
{
    [Required]
    public ITaskItem[] Fixtures { get; set; } = [];

    public string? Lane { get; set; }
    public string? RunsDirectory { get; set; }
    public string? TimeoutSeconds { get; set; }
    public string? OutputCapBytes { get; set; }
    public string? TestRepeats { get; set; }
    public string? RequireSandbox { get; set; }
    public string? ReuseBaseline { get; set; }
    public string? SandboxTool { get; set; }
    public string? SandboxLimits { get; set; }
    public string? SandboxReadOnly { get; set; }
    public string? FakeScenario { get; set; }

    public string? ScriptedModelScenario { get; set; }
    /// <summary>The API style the scripted model speaks and Case is configured for (default openai-completions).</summary>
    public string? ScriptedModelApi { get; set; }

    public string? CaseProfile { get; set; }

    public string? ModelCassette { get; set; }

    public string? ModelMaxCalls { get; set; }

    public string? ModelMaxTokens { get; set; }
    public string? FakeProviderAssembly { get; set; }
    public string? DotnetHostPath { get; set; }
    public string? CaseBin { get; set; }
    public string? CaseLockFile { get; set; }
    public bool CaseLockFileIsExplicit { get; set; }
    public string? CaseModelProvider { get; set; }
    public string? CaseModel { get; set; }
    public string? CaseLocalBaseUrl { get; set; }
    /// <summary>CtoHarnessAdmittedModel items: <c>provider/model</c> with Local, CaseProvider, Api and KeyVariable metadata.</summary>
    public ITaskItem[] AdmittedModels { get; set; } = [];
    public string? ProjectDirectory { get; set; }

    /// <summary>The project's name: the runs page is logged as its output ("Name -> page"), which the Terminal Logger shows.</summary>
    public string? ProjectName { get; set; }
    public bool AllowRunsDirectoryInRepository { get; set; }
    public string? MaxParallel { get; set; }
    /// <summary><c>index/count</c>: run only the pairs of that shard.</summary>
    public string? Shard { get; set; }
    /// <summary>A summary.json whose passes with the same provider digest, model and fixture digest are not run again.</summary>
    public string? Resume { get; set; }
    /// <summary>Attempts per pair (1-100) and how many must pass: <c>all</c>, <c>any</c> or <c>at-least:M</c>.</summary>
    public string? Attempts { get; set; }
    public string? PassPolicy { get; set; }
    /// <summary>The currency the admitted models' prices are in (default USD).</summary>
    public string? Currency { get; set; }
    /// <summary>What one run's, and the whole set's, model calls may cost at the declared prices.</summary>
    public string? ModelMaxCost { get; set; }
    public string? SetMaxCost { get; set; }

    /// <summary>Where summary.json goes; default beside the runs.</summary>
    [Output]
    public string? SummaryFile { get; set; }

    /// <summary>GitHub's step summary file ($GITHUB_STEP_SUMMARY); a Markdown table of the runs is appended when set.</summary>
    public string? StepSummaryFile { get; set; }
    /// <summary>Where to write a JUnit XML file of the runs (one test case per run), when set.</summary>
    public string? JUnitFile { get; set; }

    /// <summary>One item per run: the report path, with Status, FailureReason, ErrorCode and RunDirectory metadata.</summary>
    [Output]
    public ITaskItem[] Runs { get; private set; } = [];

    private protected override void Run(CodedErrors errors)
    {
        var settings = Settings(errors);
        var (requests, problems) = Stage2Planner.Plan(settings);
        var (batch, batchProblems) = Stage2Planner.PlanBatch(settings);
        foreach (var problem in problems.Concat(batchProblems))
        {
            errors.Configuration(problem);
        }
        if (Log.HasLoggedErrors || requests.Count == 0)
        {
            return;
        }

        BatchResult outcome;
        try
        {
            // One build-log line as each agent of a run starts and finishes with the model: a long CI step is not silent.
            var withProgress = requests.Select(r => r with
            {
                Progress = line => Log.LogMessage(MessageImportance.High, $"CtoHarness {Path.GetFileName(r.FixtureDirectory)} on {r.Lane.Name}: {line}"),
            }).ToList();
            outcome = Stage2Batch.Run(withProgress, batch, Cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException)
        {
            // Only reachable when not even a run directory could be made (every run fault after that is in its report).
            errors.HarnessFailure($"no run directory could be written under '{requests[0].RunsDirectory}': {e.GetBaseException().Message}. Check CtoHarnessRunsDir.");
            return;
        }
        Report(outcome, batch, errors);
        Runs = outcome.Results.Select(RunItem).ToArray();
        string indexPage;
        try
        {
            var written = SetOutputs.Write(outcome, requests[0].RunsDirectory, batch.Shard, new SetOutputPaths(SummaryFile, StepSummaryFile, JUnitFile));
            SummaryFile = written.SummaryFile;
            indexPage = written.IndexPage;
            if (written.JUnitFile is { } junit)
            {
                Log.LogMessage(MessageImportance.High, $"CtoHarness JUnit: {junit}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.HarnessFailure($"the summary of the runs could not be written: {e.Message}. The runs' reports are listed above.");
            return;
        }
        LogSummary(outcome.Summary, indexPage);
    }

    /// <summary>The set's summary line, then its outcome and runs page as the project's output.</summary>
    private void LogSummary(RunSummary summary, string indexPage)
    {
        var totals = summary.Totals;
        Log.LogMessage(MessageImportance.High,
            $"CtoHarness summary: {totals.Pairs} pair(s), {totals.PairsPassed} passed their policy; {totals.Runs} run(s), {totals.Passed} passed ({totals.Resumed} resumed), {totals.Failed} failed, {totals.Blocked} blocked, " +
            $"{totals.Errors} error(s), {totals.Cancelled} cancelled; {totals.AttemptsSaved} attempt(s) saved by early stop, {totals.AttemptsNotRunForBudget} not run for budget; " +
            $"model cost: {summary.CostText()}: {SummaryFile}");
        // The form CopyFilesToOutputDirectory uses for a project's output: the Terminal Logger (SDK 9 and later in a
        // terminal) shows what follows the arrow on the project's line, where it shows no other message below detailed
        // verbosity; so the runs' outcome goes there with the runs page.
        var runs = summary.Runs;
        var outcomeText = runs.Count == 1
            ? $"{runs[0].Fixture} on {runs[0].Lane}: {runs[0].Status.ToString().ToLowerInvariant()}"
            : $"{totals.PairsPassed} of {totals.Pairs} pair(s) passed, {totals.Passed} of {totals.Runs} run(s)";
        Log.LogMessage(MessageImportance.High, $"{ProjectName ?? "CtoHarness"} -> {outcomeText}, runs page {indexPage}");
    }

    private Stage2Settings Settings(CodedErrors errors) => new()
    {
        Fixtures = Fixtures.Select(f => f.GetMetadata("FullPath")).ToList(),
        Lane = Lane,
        RunsDirectory = RunsDirectory,
        TimeoutSeconds = TimeoutSeconds,
        OutputCapBytes = OutputCapBytes,
        TestRepeats = TestRepeats,
        RequireSandbox = RequireSandbox,
        ReuseBaseline = ReuseBaseline,
        SandboxTool = SandboxTool,
        SandboxLimits = SandboxLimits,
        SandboxReadOnly = SandboxReadOnly,
        FakeScenario = FakeScenario,
        ScriptedModelScenario = ScriptedModelScenario,
        ScriptedModelApi = ScriptedModelApi,
        CaseProfile = CaseProfile,
        ModelCassette = ModelCassette,
        ModelMaxCalls = ModelMaxCalls,
        ModelMaxTokens = ModelMaxTokens,
        FakeProviderAssembly = FakeProviderAssembly,
        DotnetHostPath = DotnetHostPath,
        CaseBin = CaseBin,
        CaseLockFile = CaseLockFile,
        CaseLockFileIsExplicit = CaseLockFileIsExplicit,
        CaseModelProvider = CaseModelProvider,
        CaseModel = CaseModel,
        CaseLocalBaseUrl = CaseLocalBaseUrl,
        AdmittedModels = AdmittedModelItems.Read(AdmittedModels, errors),
        ProjectDirectory = ProjectDirectory,
        AllowRunsDirectoryInRepository = AllowRunsDirectoryInRepository,
        MaxParallel = MaxParallel,
        Shard = Shard,
        Resume = Resume,
        Attempts = Attempts,
        PassPolicy = PassPolicy,
        Currency = Currency,
        ModelMaxCost = ModelMaxCost,
        SetMaxCost = SetMaxCost,
    };

    /// <summary>
    /// One line per run (and per resumed pair), a warning per unsandboxed run; an error per run that did not pass when
    /// each pair makes one attempt, else one error per pair that failed its policy and a warning per pair that passed
    /// with failed attempts.
    /// </summary>
    private void Report(BatchResult outcome, BatchOptions batch, CodedErrors errors)
    {
        foreach (var resumed in outcome.Resumed)
        {
            Log.LogMessage(MessageImportance.High, $"CtoHarness Stage 2: fixture={resumed.Fixture} lane={resumed.Lane} status=pass (resumed: the same provider, model and fixture passed policy {resumed.Policy} in {batch.ResumePath})");
        }
        foreach (var pair in outcome.Pairs)
        {
            foreach (var result in pair.Attempts)
            {
                Log.LogMessage(MessageImportance.High, result.Summary);
                if (result.Report.Sandbox.Kind == "none")
                {
                    errors.Warning(Diagnostics.NoSandbox.Code, result.ReportPath,
                        $"sandbox: none for run '{result.Report.RunId}' ({result.Report.Sandbox.Warning}); its programs ran with the build's own rights. Install bubblewrap for a sandbox.");
                }
                if (batch.Attempts == 1 && !result.Passed)
                {
                    errors.Run(result);
                }
            }
            if ((batch.Attempts > 1 || pair.Attempts.Count == 0) && PairVerdicts.Of(pair, BuildEngine.ProjectFileOfTaskNode) is { } line)
            {
                errors.Pair(line);
            }
        }
        if (outcome.OtherShards.Count > 0)
        {
            Log.LogMessage(MessageImportance.High, $"CtoHarness shard {batch.Shard}: {outcome.Summary.Pairs.Count} pair(s) here, {outcome.OtherShards.Count} in other shards");
        }
    }

    private static ITaskItem RunItem(Stage2Result result)
    {
        var item = new Microsoft.Build.Utilities.TaskItem(result.ReportPath);
        item.SetMetadata("Fixture", result.Report.Fixture.Id);
        item.SetMetadata("Lane", result.Report.Lane);
        item.SetMetadata("Attempt", result.Report.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        item.SetMetadata("Status", result.Report.Status.ToString().ToLowerInvariant());
        item.SetMetadata("FailureReason", result.Report.FailureReason ?? "");
        item.SetMetadata("ErrorCode", result.Report.ErrorCode ?? "");
        item.SetMetadata("RunDirectory", result.Report.RunDirectory);
        return item;
    }
}
