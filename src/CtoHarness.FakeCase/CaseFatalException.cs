namespace CtoHarness.FakeCase;

/// <summary>A configuration error: real Case prints <c>Fatal: message</c> on stderr and exits 1.</summary>
internal sealed class CaseFatalException(string message) : Exception(message);
