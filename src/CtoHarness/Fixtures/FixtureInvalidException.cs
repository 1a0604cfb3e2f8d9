namespace CtoHarness.Fixtures;

public sealed class FixtureInvalidException(string message) : Exception(message);
