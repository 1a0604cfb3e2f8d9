using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;

namespace CtoHarness.Reporting;

/// <summary>Where a set's outputs go: the summary (null: a new file beside the runs), and the optional CI files.</summary>
public sealed record SetOutputPaths(string? SummaryFile, string? StepSummaryFile, string? JUnitFile);

/// <summary>What was written for a set of runs.</summary>
public sealed record WrittenSetOutputs(string SummaryFile, string IndexPage, string? JUnitFile);

/// <summary>
/// The outputs of a set of runs, written after its last run: <c>summary.json</c>, the index page beside it, and where
/// asked, GitHub's step summary and a JUnit file.
/// </summary>
public static class SetOutputs
{
    public static WrittenSetOutputs Write(BatchResult outcome, string runsDirectory, ShardSpec? shard, SetOutputPaths paths)
    {
        var summary = string.IsNullOrWhiteSpace(paths.SummaryFile)
            ? SummaryFiles.WriteNew(runsDirectory, shard, outcome.Summary)
            : WriteAt(Path.GetFullPath(paths.SummaryFile), outcome.Summary);
        var page = Pages.SetPage.Write(outcome.Summary, summary);
        string? junit = null;
        if (outcome.Pairs.Count > 0)
        {
            if (!string.IsNullOrWhiteSpace(paths.StepSummaryFile))
            {
                CiOutputs.AppendStepSummary(paths.StepSummaryFile, outcome.Pairs, outcome.Summary.Currency);
            }
            if (!string.IsNullOrWhiteSpace(paths.JUnitFile))
            {
                junit = Path.GetFullPath(paths.JUnitFile);
                CiOutputs.WriteJUnit(junit, outcome.Pairs);
            }
        }
        return new WrittenSetOutputs(summary, page, junit);
    }

    private static string WriteAt(string path, RunSummary summary)
    {
        JsonFiles.WriteAtomically(path, summary);
        return path;
    }
}
