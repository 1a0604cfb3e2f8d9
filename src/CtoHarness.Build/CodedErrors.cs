using CtoHarness.Contracts;
using CtoHarness.Stage2;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CtoHarness.Build;

/// <summary>
/// Logs errors in the house shape: a stable code, text that says what to do next, a help link to
/// docs/errors.md#ctohNNN, and a file and a line (never 0, which CI problem matchers skip): the evidence file for a
/// run, the lock for admission, the line of the user's project that sets the value for a configuration error.
/// </summary>
internal sealed class CodedErrors(TaskLoggingHelper log, IBuildEngine engine, string? helpLinkBase, IReadOnlyList<string> settingFiles)
{

    public void Configuration(ConfigurationError error) => AtSetting(error.Code, error.Message);

    /// <summary>A configuration problem, at the line of the project that sets the setting the message names.</summary>
    public void AtSetting(string code, string message)
    {
        var (file, line) = SettingLocation.Of(message, settingFiles) ?? (engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode);
        // MSBuild leaves out the " [project]" it ends other lines with when the file is the project itself, and the
        // problem matcher setup-dotnet registers in CI needs it: without it the error would not be annotated.
        Error(code, file, line, settingFiles.Count > 0 && file == settingFiles[0] ? $"{message} [{file}]" : message);
    }

    public void Run(Stage2Result result)
    {
        var report = result.Report;
        var message = $"Stage 2 of fixture '{report.Fixture.Id}' on lane '{report.Lane}' ended {report.Status.ToString().ToLowerInvariant()}: " +
                      $"{report.FailureReason} - {report.Message?.TrimEnd('.')}. Evidence: {result.EvidencePath} (report: {result.ReportPath}).";
        Error(report.ErrorCode ?? Diagnostics.HarnessError.Code, result.EvidencePath, 1, message);
    }

    /// <summary>A pair's verdict over its attempts: an error, or a warning when it passed with failed attempts.</summary>
    public void Pair(Reporting.PairLine line)
    {
        if (Diagnostics.Of(line.Code).Severity == DiagnosticSeverity.Warning)
        {
            Warning(line.Code, line.File, line.Message);
        }
        else
        {
            Error(line.Code, line.File, 1, line.Message);
        }
    }

    public void FixtureProblem(FixtureCheck.FixtureProblem problem) => Error(problem.Code, problem.File, 1, problem.Message);

    public void HealthCheck(Health.HealthCheckResult check, string healthFile) =>
        Error(Diagnostics.HealthCheckFailed.Code, healthFile, 1,
            $"CaseHealth check '{check.Name}' failed: expected {check.Expected}, observed {check.Observed}. Evidence: {check.Evidence} (health: {healthFile}).");

    /// <summary>An expected failure: its code, pointing at its file when it names one, else at the project.</summary>
    public void Expected(ExpectedFailure failure)
    {
        if (failure.File is null)
        {
            AtSetting(failure.Code, failure.Message);
        }
        else
        {
            Error(failure.Code, failure.File, 1, failure.Message);
        }
    }

    public void Admission(Admission.AdmissionException error, string lockFile) =>
        Error(error.Code, error.File ?? lockFile, 1, error.Message);

    public void Verification(Admission.VerificationFailure failure, string lockFile) =>
        Error(failure.Kind.Code, lockFile, 1, $"{failure.Kind.Reason}: {failure.Detail}.");

    public void Evidence(Evidence.EvidenceMismatch mismatch, string runDirectory) =>
        Error(Diagnostics.EvidenceMismatch.Code, mismatch.Path, 1, $"the evidence of run '{runDirectory}' does not match its report: '{mismatch.Path}' is {mismatch.Problem}.");

    public void Cassette(string message, string runDirectory) =>
        Error(Diagnostics.CassetteNotMade.Code, Path.Combine(Path.GetFullPath(runDirectory), CtoHarness.Evidence.RunDirectory.ReportFileName), 1, $"no model cassette could be made: {message}.");

    public void Merge(Stage2.MergeProblem problem) => Error(problem.Code, problem.File, 1, $"{problem.Message}.");

    public void Cancelled(string message) => Error(Diagnostics.Cancelled.Code, engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode, message);

    public void HarnessFailure(string message) => Error(Diagnostics.HarnessError.Code, engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode, message);

    public void Warning(string code, string file, string message) =>
        log.LogWarning(null, code, null, HelpLink(code), file, 1, 0, 0, 0, message);

    private string HelpLink(string code) => $"{(string.IsNullOrEmpty(helpLinkBase) ? Diagnostic.DocsBase : helpLinkBase)}#{code.ToLowerInvariant()}";

    private void Error(string code, string file, int line, string message) =>
        log.LogError(null, code, null, HelpLink(code), file, Math.Max(line, 1), 0, 0, 0, message);
}
