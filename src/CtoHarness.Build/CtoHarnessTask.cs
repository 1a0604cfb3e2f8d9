using CtoHarness.Contracts;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>
/// What every CtoHarness task shares: the help links of its coded errors, cancellation, and expected failures
/// (<see cref="ExpectedFailure"/>) reported as coded errors, never as stack traces. A task says only what it does.
/// </summary>
public abstract class CtoHarnessTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Where each code's help link points (docs/errors.md, one anchor per code).</summary>
    public string? HelpLinkBase { get; set; }

    /// <summary>The project, then the Directory.Build files: where a configuration error looks for the line that sets the value.</summary>
    public string[] SettingFiles { get; set; } = [];

    protected CancellationToken Cancellation => _cancellation.Token;

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        var errors = new CodedErrors(Log, BuildEngine, HelpLinkBase, SettingFiles);
        try
        {
            Run(errors);
        }
        catch (ExpectedFailure failure)
        {
            errors.Expected(failure);
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work; errors are logged through <paramref name="errors"/> (the task fails when any was).</summary>
    private protected abstract void Run(CodedErrors errors);
}
