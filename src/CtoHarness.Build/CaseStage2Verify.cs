using CtoHarness.Evidence;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>Re-checks run directories against the evidence manifests of their reports (CTOH405 for each mismatch).</summary>
public sealed class CaseStage2Verify : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] RunDirectories { get; set; } = [];

    public string? HelpLinkBase { get; set; }

    public override bool Execute()
    {
        var errors = new CodedErrors(Log, BuildEngine, HelpLinkBase);
        foreach (var item in RunDirectories)
        {
            var directory = item.GetMetadata("FullPath");
            var mismatches = EvidenceVerifier.Verify(directory);
            foreach (var mismatch in mismatches)
            {
                errors.Evidence(mismatch, directory);
            }
            if (mismatches.Count == 0)
            {
                Log.LogMessage(MessageImportance.High, $"CtoHarness verify: {directory} matches its evidence manifest");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
