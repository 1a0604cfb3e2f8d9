namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// Test classes that set variables of the test process's own environment (keys, tokens, proxies, as a build's
/// environment would hold them) run alone, so that no other test's runs or HTTP clients see those values.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
