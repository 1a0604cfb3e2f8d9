using System.Text.RegularExpressions;
using CtoHarness.Evidence;
using CtoHarness.Workspace;
using NuGet.Versioning;
using CtoHarness.Contracts;

namespace CtoHarness.Admission;

public sealed record AdmissionResult(string LockFile, ProviderLock Lock, IReadOnlyList<string> Warnings, bool Unchanged);

/// <summary>
/// CaseProviderAdmit: checks a Case source checkout against the pin (origin, HEAD, no unexplained
/// modifications), checks the build toolchain, stores the built binary in the durable content-addressed
/// store, verifies the stored copy, and records all of it in case-provider.lock.json.
/// </summary>
public static partial class CaseProviderAdmission
{
    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    public static AdmissionResult Admit(AdmissionRequest request)
    {
        var (nodeRange, bunRange) = ValidateInputs(request);
        var checkout = Path.GetFullPath(request.Checkout);
        CheckCheckout(request, checkout);
        var modified = ChangedFiles(checkout);
        var refused = modified.Except(request.AllowedModifiedFiles, StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            throw new AdmissionException(Diagnostics.UnexplainedModifications,
                $"the checkout '{checkout}' has modified tracked or untracked (not ignored) files that were not allowed: {string.Join(", ", refused)}. " +
                "Allow each one the provider's build is known to write (CtoHarnessCaseAllowedModifiedFile items, e.g. src/generated/package-assets.ts), or reset or remove them.", checkout);
        }

        var warnings = new List<string>();
        var toolchain = Toolchain(request, nodeRange, bunRange, warnings);

        var binary = Path.GetFullPath(request.Binary ?? Path.Combine(checkout, "dist", "ca"));
        if (!File.Exists(binary) || new FileInfo(binary).Length == 0)
        {
            throw new AdmissionException(Diagnostics.NoBuiltBinary, MissingBinaryMessage(binary, checkout, toolchain), binary);
        }
        var sha256 = Sha256.OfFile(binary);
        var size = new FileInfo(binary).Length;
        string stored;
        try
        {
            stored = ProviderStore.Put(Path.GetFullPath(request.StoreDirectory), binary, Path.GetFileName(binary), sha256, size);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdmissionException(Diagnostics.ProviderStoreUnwritable, $"the provider store '{request.StoreDirectory}' cannot be written: {e.Message}. Choose a writable CtoHarnessProviderStore.");
        }

        var providerLock = new ProviderLock
        {
            Provider = "case",
            Source = new LockSource { Repository = request.Repository, Commit = request.Commit, AllowedModifiedFiles = modified },
            Binary = new LockedFile { FileName = Path.GetFileName(binary), Sha256 = sha256, Size = size, StorePath = stored, AdmittedFrom = binary },
            Toolchain = toolchain,
            AdmittedAt = DateTimeOffset.UtcNow,
            AdmittedBy = $"{Environment.UserName}@{Environment.MachineName}",
            HarnessVersion = HarnessVersion.Current,
        };
        var lockFile = Path.GetFullPath(request.LockFile);
        if (SameAdmission(lockFile, providerLock) is { } existing)
        {
            return new AdmissionResult(lockFile, existing, warnings, Unchanged: true);
        }
        ProviderLockFile.Write(lockFile, providerLock);
        return new AdmissionResult(lockFile, providerLock, warnings, Unchanged: false);
    }

    /// <summary>node and bun as found here: a version outside its range is refused, a missing tool is recorded as missing.</summary>
    private static LockToolchain Toolchain(AdmissionRequest request, VersionRange nodeRange, VersionRange bunRange, List<string> warnings)
    {
        var toolchain = new LockToolchain { Node = ToolchainProbe.Probe(request.NodeTool, nodeRange), Bun = ToolchainProbe.Probe(request.BunTool, bunRange) };
        foreach (var (name, tool) in new[] { ("node", toolchain.Node), ("bun", toolchain.Bun) })
        {
            if (tool.Version == ToolVersion.Missing)
            {
                warnings.Add($"{name} is not installed here; recorded as missing");
            }
            else if (!tool.Satisfied)
            {
                throw new AdmissionException(Diagnostics.ToolchainOutOfRange, $"{name} {tool.Version} is outside the admitted range {tool.Range} (CtoHarness{char.ToUpperInvariant(name[0])}{name[1..]}VersionRange).");
            }
        }
        return toolchain;
    }

    private static (VersionRange Node, VersionRange Bun) ValidateInputs(AdmissionRequest request)
    {
        if (!CommitPattern().IsMatch(request.Commit))
        {
            throw new AdmissionException(Diagnostics.PinInvalid, $"CtoHarnessCaseCommit '{request.Commit}' is not a pinned commit: 40 lowercase hex digits are required.");
        }
        if (RepositoryUrl.Normalize(request.Repository) is null)
        {
            throw new AdmissionException(Diagnostics.PinInvalid, $"CtoHarnessCaseRepository '{request.Repository}' is not a repository URL (https://host/owner/repo.git or git@host:owner/repo.git).");
        }
        if (!VersionRange.TryParse(request.NodeRange, out var node) || !VersionRange.TryParse(request.BunRange, out var bun))
        {
            throw new AdmissionException(Diagnostics.ToolchainRangeInvalid,
                $"CtoHarnessNodeVersionRange '{request.NodeRange}' or CtoHarnessBunVersionRange '{request.BunRange}' is not a NuGet version range such as [18.0.0, ).");
        }
        var store = Path.GetFullPath(request.StoreDirectory) + Path.DirectorySeparatorChar;
        if (TemporaryDirectories().FirstOrDefault(temp => store.StartsWith(temp, StringComparison.Ordinal)) is { } temporary)
        {
            throw new AdmissionException(Diagnostics.ProviderStoreTemporary,
                $"CtoHarnessProviderStore '{request.StoreDirectory}' is inside the temporary directory '{temporary}'; admitted binaries must live in a durable store (default: the per-user state directory).");
        }
        return (node!, bun!);
    }

    /// <summary>Temporary whatever TMPDIR says: the system's temp folders, and the one TMPDIR names.</summary>
    private static IEnumerable<string> TemporaryDirectories()
    {
        var folders = new List<string> { Path.GetFullPath(Path.GetTempPath()) };
        if (!OperatingSystem.IsWindows())
        {
            folders.AddRange(["/tmp/", "/var/tmp/", "/dev/shm/"]);
        }
        return folders.Select(f => Path.TrimEndingDirectorySeparator(f) + Path.DirectorySeparatorChar).Distinct();
    }

    private static void CheckCheckout(AdmissionRequest request, string checkout)
    {
        if (!Directory.Exists(checkout))
        {
            throw new AdmissionException(Diagnostics.NotCaseCheckout, $"the Case source checkout '{checkout}' does not exist (CtoHarnessCaseSource).", checkout);
        }
        string origin, head;
        try
        {
            var top = Git.Run(checkout, "rev-parse", "--show-toplevel").Trim();
            if (Path.GetFullPath(top) != Path.TrimEndingDirectorySeparator(checkout))
            {
                throw new AdmissionException(Diagnostics.NotCaseCheckout, $"'{checkout}' is not the top of a git checkout (its top is '{top}').", checkout);
            }
            origin = Git.Run(checkout, "remote", "get-url", "origin").Trim();
            head = Git.Run(checkout, "rev-parse", "HEAD").Trim();
        }
        catch (InvalidOperationException e)
        {
            throw new AdmissionException(Diagnostics.NotCaseCheckout, $"'{checkout}' is not a git checkout with an origin and a commit: {e.Message}", checkout);
        }
        if (!RepositoryUrl.SameRepository(origin, request.Repository))
        {
            throw new AdmissionException(Diagnostics.WrongOrigin, $"the checkout's origin '{origin}' is not the pinned repository '{request.Repository}'.", checkout);
        }
        if (head != request.Commit)
        {
            throw new AdmissionException(Diagnostics.NotAtPin, $"the checkout is at {head}, not at the pinned commit {request.Commit}. Check out the pin, rebuild, and admit again.", checkout);
        }
    }

    /// <summary>Tracked files the build changed, and files it added that git does not ignore: both need an allowance.</summary>
    private static List<string> ChangedFiles(string checkout) =>
        Git.Run(checkout, "status", "--porcelain=v1", "-z", "--untracked-files=all")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.Length > 3)
            .Select(entry => entry[3..])
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string MissingBinaryMessage(string binary, string checkout, LockToolchain toolchain)
    {
        var missing = new List<string>();
        if (toolchain.Bun.Version == ToolVersion.Missing)
        {
            missing.Add("bun is not installed");
        }
        if (!Directory.Exists(Path.Combine(checkout, "node_modules")))
        {
            missing.Add("dependencies are not installed (no node_modules; run `bun install`)");
        }
        var what = missing.Count == 0 ? "" : $" What is missing to build it: {string.Join("; ", missing)}.";
        return $"the built provider '{binary}' does not exist.{what} The provider's own build is `bun install` then `bun run build:binary` in '{checkout}', which writes dist/ca.";
    }

    /// <summary>Re-admitting the same bytes from the same pin leaves the lock as it is.</summary>
    private static ProviderLock? SameAdmission(string lockFile, ProviderLock candidate)
    {
        if (!File.Exists(lockFile))
        {
            return null;
        }
        try
        {
            var existing = ProviderLockFile.Read(lockFile);
            var same = existing.Binary.Sha256 == candidate.Binary.Sha256 && existing.Binary.Size == candidate.Binary.Size &&
                       existing.Binary.StorePath == candidate.Binary.StorePath && existing.Source.Commit == candidate.Source.Commit &&
                       RepositoryUrl.SameRepository(existing.Source.Repository, candidate.Source.Repository) &&
                       existing.Source.AllowedModifiedFiles.SequenceEqual(candidate.Source.AllowedModifiedFiles);
            return same ? existing : null;
        }
        catch (LockUnreadableException)
        {
            return null;
        }
    }
}
