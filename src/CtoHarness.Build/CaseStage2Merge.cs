using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>Merges shard summaries into one; fails when a shard is missing, duplicated or has a run that did not pass.</summary>
public sealed class CaseStage2Merge : CtoHarnessTask
{
    public ITaskItem[] Summaries { get; set; } = [];

    [Required]
    public string MergedSummaryFile { get; set; } = "";


    private protected override void Run(CodedErrors errors)
    {
        if (Summaries.Length == 0)
        {
            errors.AtSetting(Diagnostics.NothingToMerge.Code,
                "CaseStage2Merge needs the shard summaries: CtoHarnessShardSummary items or -p:CtoHarnessShardSummaries=\"path/**/summary-*.json\".");
            return;
        }
        var (merged, problems) = SummaryMerge.Merge(Summaries.Select(s => s.GetMetadata("FullPath")).ToList());
        JsonFiles.WriteAtomically(MergedSummaryFile, merged);
        foreach (var problem in problems)
        {
            errors.Merge(problem);
        }
        var totals = merged.Totals;
        Log.LogMessage(MessageImportance.High,
            $"CtoHarness merge: {Summaries.Length} shard summaries, {totals.Runs} run(s), {totals.Passed} passed, {totals.Runs - totals.Passed} not passed: {Path.GetFullPath(MergedSummaryFile)}");
    }
}
