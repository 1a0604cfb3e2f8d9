namespace CtoHarness.Backend;

/// <summary>
/// How to start the provider. <see cref="ExecutablePath"/> is the provider's own file; a framework-dependent
/// provider (the fake) runs under the dotnet host, a native one (`ca`) is executed directly. Preflight
/// replaces the path with the verified run-local copy before anything starts.
/// </summary>
public sealed record ProviderLaunch(string Kind, string ExecutablePath, string LockFile)
{
    /// <summary>The `dotnet` host, for a provider that is a framework-dependent assembly; null for a native binary.</summary>
    public string? DotnetHost { get; init; }

    public IReadOnlyDictionary<string, string> LaneEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Only the fake lane is handed the fixture's reference solution.</summary>
    public bool ReceivesSolution { get; init; }

    public string FileName => DotnetHost ?? ExecutablePath;

    public IReadOnlyList<string> PrefixArguments => DotnetHost is null ? [] : [ExecutablePath];
}
