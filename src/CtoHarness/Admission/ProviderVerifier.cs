using CtoHarness.Contracts;

namespace CtoHarness.Admission;

public sealed record VerifiedProvider(string ExecutablePath, string Sha256, long Size, string VerifiedFrom, ProviderLock Lock);

public sealed record VerificationFailure(FailureKind Kind, string Detail, string MarkerText)
{
    /// <summary>What was read of the lock and hashed before the failure, for the report.</summary>
    public ProviderLock? Lock { get; init; }
    public string? VerifiedFrom { get; init; }
    public string? ActualSha256 { get; init; }
    public long? ActualSize { get; init; }
}

/// <summary>
/// CaseProviderVerify: the lock must be readable and the provider's bytes must be the admitted ones. The
/// bytes are copied while hashed, and the copy is what runs, so a file replaced after this check is never
/// executed: a native provider without companions (`ca`) on Linux into a sealed in-memory image, made once per
/// process (<see cref="SealedProviderImages"/>); anything else into <c>destinationDirectory</c>, private to the run.
/// </summary>
public static class ProviderVerifier
{
    private const UnixFileMode ReadAndExecuteByOthers = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <param name="requestedBinary">CtoHarnessCaseBin / CTO_HARNESS_CASE_BIN when set: its bytes must be the admitted ones.</param>
    /// <param name="requireExecutable">False for a provider that runs under the dotnet host.</param>
    public static (VerifiedProvider? Verified, VerificationFailure? Failure) Verify(string lockPath, string? requestedBinary, bool requireExecutable, string destinationDirectory)
    {
        ProviderLock providerLock;
        try
        {
            providerLock = ProviderLockFile.Read(lockPath);
        }
        catch (LockUnreadableException e)
        {
            return (null, Unavailable(e.Message, lockPath, null));
        }

        var binary = providerLock.Binary;
        var source = string.IsNullOrWhiteSpace(requestedBinary) ? ProviderLockFile.Resolve(lockPath, binary.StorePath) : Path.GetFullPath(requestedBinary);
        if (Unusable(source, requireExecutable) is { } problem)
        {
            return (null, Unavailable(problem, lockPath, source) with { Lock = providerLock, VerifiedFrom = source });
        }

        string executable, sha256;
        long size;
        if (requireExecutable && providerLock.Companions.Count == 0 && SealedProviderImages.Supported)
        {
            (executable, sha256, size) = SealedProviderImages.Of(source);
        }
        else
        {
            Directory.CreateDirectory(destinationDirectory);
            if (!OperatingSystem.IsWindows())
            {
                // Readable by the sandbox's own user, which runs the provider from a read-only view of this folder.
                File.SetUnixFileMode(destinationDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | ReadAndExecuteByOthers);
            }
            executable = Path.Combine(destinationDirectory, binary.FileName);
            (sha256, size) = VerifiedCopy.Copy(source, executable, UnixFileMode.UserRead | UnixFileMode.UserExecute | ReadAndExecuteByOthers);
        }
        if (sha256 != binary.Sha256 || size != binary.Size)
        {
            return (null, Unverified(lockPath, source, binary, sha256, size) with { Lock = providerLock, VerifiedFrom = source, ActualSha256 = sha256, ActualSize = size });
        }

        foreach (var companion in providerLock.Companions)
        {
            var from = ProviderLockFile.Resolve(lockPath, companion.StorePath);
            if (Unusable(from, requireExecutable: false) is { } missing)
            {
                return (null, Unavailable(missing, lockPath, from) with { Lock = providerLock, VerifiedFrom = source });
            }
            var copied = VerifiedCopy.Copy(from, Path.Combine(destinationDirectory, companion.FileName), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            if (copied.Sha256 != companion.Sha256 || copied.Size != companion.Size)
            {
                return (null, Unverified(lockPath, from, companion, copied.Sha256, copied.Size) with { Lock = providerLock, VerifiedFrom = source, ActualSha256 = sha256, ActualSize = size });
            }
        }
        return (new VerifiedProvider(executable, sha256, size, source, providerLock), null);
    }

    private static string? Unusable(string path, bool requireExecutable)
    {
        if (Directory.Exists(path))
        {
            return $"'{path}' is a directory, not a regular file";
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return $"'{path}' does not exist";
        }
        if (info.Length == 0)
        {
            // Also what a FIFO or socket reports; never open those.
            return $"'{path}' is empty or not a regular file";
        }
        if (requireExecutable && !OperatingSystem.IsWindows() &&
            (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            return $"'{path}' is not executable";
        }
        return null;
    }

    private static VerificationFailure Unavailable(string problem, string lockPath, string? binary) =>
        new(FailureKind.ProviderUnavailable, problem, $"lock: {lockPath}\nbinary: {binary ?? "(unknown)"}\nproblem: {problem}\n");

    private static VerificationFailure Unverified(string lockPath, string source, LockedFile expected, string actualSha256, long actualSize) =>
        new(FailureKind.ProviderUnverified,
            $"'{source}' is not the admitted {expected.FileName}: SHA-256 {actualSha256} ({actualSize} bytes), admitted {expected.Sha256} ({expected.Size} bytes)",
            $"lock: {lockPath}\nbinary: {source}\nexpected sha256: {expected.Sha256}\nexpected size: {expected.Size}\nactual sha256: {actualSha256}\nactual size: {actualSize}\n");
}
