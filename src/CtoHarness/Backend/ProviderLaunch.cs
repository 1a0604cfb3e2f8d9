namespace CtoHarness.Backend;

/// <summary>
/// How to start the provider: the file to execute, arguments that come before Case's own
/// (e.g. the fake's assembly when it runs under the dotnet host), and lane-only environment.
/// </summary>
public sealed record ProviderLaunch(string Kind, string FileName, IReadOnlyList<string> PrefixArguments, string ExecutablePath)
{
    public IReadOnlyDictionary<string, string> LaneEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Only the fake lane is handed the fixture's reference solution.</summary>
    public bool ReceivesSolution { get; init; }
}
