namespace CtoHarness.Stage2;

/// <summary>
/// One Stage 2 run (docs/design.md "A run"): preflight, workspace and baseline tests, provider, change, grading,
/// report. Each step adds what it finds to the run's findings; <see cref="Verdicts"/> decides which one the run ends
/// with. Whatever happens, including cancellation and harness faults, the run directory ends with a report.json,
/// and no process of the run is left alive.
/// </summary>
public static class Stage2Runner
{
    public static Stage2Result Run(Stage2Request request, CancellationToken cancellation = default)
    {
        var context = RunContext.Open(request, cancellation);
        context.Attempt(() =>
        {
            var preflight = PreflightStep.Run(context);
            var workspace = WorkspaceStep.Run(context, preflight);
            ProviderStep.Run(context, preflight);
            ChangeStep.Run(context, workspace);
            GradingStep.Run(context, workspace);
        });
        return ReportStep.Finish(context);
    }
}
