namespace CtoHarness.Contracts;

/// <summary>A setting that is wrong before any run starts (codes CTOH0xx): which one, and what is accepted.</summary>
public sealed record ConfigurationError(string Code, string Message);
