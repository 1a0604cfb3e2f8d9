using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Grading;

namespace CtoHarness.Stage2;

/// <summary>
/// What the provider left: the harness's baseline repository must be as the harness left it (else nothing is read
/// with git at all), then the change is collected as a patch, protected files are restored, and the change is read
/// for tampering.
/// </summary>
internal static class ChangeStep
{
    public static void Run(RunContext context, PreparedWorkspace workspace)
    {
        var run = context.Run;
        if (workspace.Baseline.Tampered() is { Count: > 0 } planted)
        {
            // Never run git over a repository the agent rewrote: its config or hooks would run inside the harness.
            context.Change = new ChangesSection { TamperedPaths = [.. planted.Select(p => $"baseline.git/{p}")] };
            throw new Stage2Stop(Contracts.FailureKind.TestsTampered,
                $"the harness's baseline repository was changed while the provider ran ({string.Join(", ", planted.Take(10))}); the change was not graded");
        }
        var changes = ChangeCollector.Collect(workspace.Baseline, run.PatchPath);
        context.Redactor.RedactFile(changes.PatchPath);
        var tampered = workspace.Protected.Changed();
        workspace.Protected.Restore(workspace.Baseline, tampered);
        var reaching = FrameworkTampering.Find(changes.PatchPath, workspace.Protected.IsTest);
        context.Change = new ChangesSection
        {
            Files = [.. changes.Files],
            PatchPath = run.Relative(changes.PatchPath),
            PatchSha256 = Sha256.OfFile(changes.PatchPath),
            PatchBytes = changes.PatchBytes,
            TamperedPaths = [.. tampered, .. reaching],
        };
        foreach (var finding in Verdicts.OfChange(changes, tampered, reaching))
        {
            context.Add(finding);
        }
    }
}
