namespace CtoHarness.Configuration;

/// <summary>A setting that is wrong before any run starts (CTOH001-CTOH099): which one, and what is accepted.</summary>
public sealed record ConfigurationError(string Code, string Message);
