using CtoHarness.Contracts;
using CtoHarness.Replay;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>Makes a model cassette from a case-lane run's relay evidence, for the case-replay lane (CTOH025 when it cannot).</summary>
public sealed class CaseModelCassette : CtoHarnessTask
{
    public string RunDirectory { get; set; } = "";

    public string CassetteFile { get; set; } = "";


    private protected override void Run(CodedErrors errors)
    {
        if (string.IsNullOrWhiteSpace(RunDirectory) || string.IsNullOrWhiteSpace(CassetteFile))
        {
            errors.AtSetting(Diagnostics.NoRunToVerify.Code,
                "CaseModelCassette needs -p:CtoHarnessRunDirectory=/path/to/run (a case-lane run) and -p:CtoHarnessModelCassette=/path/to/file.cassette.json.");
            return;
        }
        try
        {
            var cassette = CassetteExport.FromRun(Path.GetFullPath(RunDirectory));
            var path = Path.GetFullPath(CassetteFile);
            cassette.Write(path);
            Log.LogMessage(MessageImportance.High,
                $"CtoHarness cassette: {cassette.Calls.Count} call(s) of run {cassette.RecordedFrom.RunId} ({cassette.RecordedFrom.FixtureId}, profile {cassette.Profile}) written to {path}");
        }
        catch (Exception e) when (e is CassetteInvalidException or IOException or UnauthorizedAccessException)
        {
            errors.Cassette(e.Message, RunDirectory);
        }
    }
}
