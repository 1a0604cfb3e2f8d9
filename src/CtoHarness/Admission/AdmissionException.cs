using CtoHarness.Contracts;

namespace CtoHarness.Admission;

/// <summary>An admission that cannot be recorded: a coded reason and the file it is about.</summary>
public sealed class AdmissionException(Diagnostic diagnostic, string message, string? file = null) : ExpectedFailure(diagnostic, message, file);
