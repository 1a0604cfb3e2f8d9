namespace CtoHarness.Admission;

/// <summary>
/// case-provider.lock.json: the recorded act of admitting one provider binary (docs/case-provider-lock.schema.json).
/// A relative <see cref="LockedFile.StorePath"/> is relative to the lock's own directory (the fake provider's
/// lock travels inside the package that way).
/// </summary>
public sealed class ProviderLock
{
    public const string SchemaId = "https://ctoharness.dev/schemas/case-provider-lock/v1";
    public const int CurrentSchemaVersion = 1;
    public const string DefaultFileName = "case-provider.lock.json";

    public string Schema { get; set; } = SchemaId;
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    /// <summary><c>case</c> for a real `ca`, <c>fake</c> for the fake provider.</summary>
    public string Provider { get; set; } = "case";
    public LockSource Source { get; set; } = new();
    /// <summary>The executable; what runs is a verified copy of exactly these bytes.</summary>
    public LockedFile Binary { get; set; } = new();
    /// <summary>Files that must sit beside the executable (the fake provider's assemblies); empty for `ca`.</summary>
    public List<LockedFile> Companions { get; set; } = [];
    public LockToolchain? Toolchain { get; set; }
    public DateTimeOffset AdmittedAt { get; set; }
    public string AdmittedBy { get; set; } = "";
    public string HarnessVersion { get; set; } = "";
}

public sealed class LockSource
{
    public string Repository { get; set; } = "";
    public string Commit { get; set; } = "";
    /// <summary>Tracked files the build modified; each was explicitly allowed at admission.</summary>
    public List<string> AllowedModifiedFiles { get; set; } = [];
}

public sealed class LockedFile
{
    public string FileName { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public string StorePath { get; set; } = "";
    /// <summary>Where the bytes were taken from at admission (discovery evidence only; never executed).</summary>
    public string? AdmittedFrom { get; set; }
}

public sealed class LockToolchain
{
    public ToolVersion Node { get; set; } = new();
    public ToolVersion Bun { get; set; } = new();
}

public sealed class ToolVersion
{
    public const string Missing = "missing";

    public string Version { get; set; } = Missing;
    public string Range { get; set; } = "";
    public bool Satisfied { get; set; }
}
