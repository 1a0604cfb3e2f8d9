namespace CtoHarness.Contracts;

/// <summary>
/// A failure the package expects and reports with a code (bad input, a refused admission, an invalid fixture or
/// cassette, a limit): never a stack trace. <see cref="File"/> is what the error points at, when known.
/// </summary>
public class ExpectedFailure(Diagnostic diagnostic, string message, string? file = null) : Exception(message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
    public string Code => Diagnostic.Code;
    public string? File { get; } = file;
}
