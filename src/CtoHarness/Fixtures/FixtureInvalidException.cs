using CtoHarness.Contracts;

namespace CtoHarness.Fixtures;

public sealed class FixtureInvalidException(string message) : ExpectedFailure(Diagnostics.FixtureInvalid, message);
