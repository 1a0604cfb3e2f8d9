namespace CtoHarness.Admission;

/// <summary>An admission that cannot be recorded: a coded reason and the file it is about.</summary>
public sealed class AdmissionException(string code, string message, string? file = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? File { get; } = file;
}
