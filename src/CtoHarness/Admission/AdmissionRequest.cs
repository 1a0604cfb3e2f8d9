namespace CtoHarness.Admission;

/// <summary>The inputs of CaseProviderAdmit.</summary>
public sealed record AdmissionRequest(string Checkout, string LockFile, string StoreDirectory)
{
    public const string DefaultRepository = "https://github.com/workos/case.git";
    public const string DefaultCommit = "7959ac917cdeb0983b4aaa20bb9f42021747fed8";
    public const string DefaultNodeRange = "[18.0.0, )";
    public const string DefaultBunRange = "[1.1.0, )";

    /// <summary>The built binary; default <c>&lt;checkout&gt;/dist/ca</c>.</summary>
    public string? Binary { get; init; }
    public string Repository { get; init; } = DefaultRepository;
    public string Commit { get; init; } = DefaultCommit;
    /// <summary>Tracked files the build may modify (e.g. src/generated/package-assets.ts); anything else dirty is refused.</summary>
    public IReadOnlyList<string> AllowedModifiedFiles { get; init; } = [];
    public string NodeRange { get; init; } = DefaultNodeRange;
    public string BunRange { get; init; } = DefaultBunRange;
    /// <summary>The tool names probed; tests substitute scripts.</summary>
    public string NodeTool { get; init; } = "node";
    public string BunTool { get; init; } = "bun";
}
