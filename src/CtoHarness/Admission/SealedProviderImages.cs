using System.Security.Cryptography;
using CtoHarness.Processes;

namespace CtoHarness.Admission;

/// <summary>
/// Verified, sealed in-memory copies of native providers (Linux): the bytes are copied from the store into a
/// memfd while hashed, and the memfd is sealed, so nobody (not even this process) can change them again. A run
/// executes <c>/proc/&lt;this process&gt;/fd/&lt;n&gt;</c>: exactly the bytes that were hashed. One image serves
/// every run of this process as long as the source file is unchanged (same inode, size, change and modification
/// time); any change to it means hashing it again. So a 100 MB `ca` is hashed and copied once per build, not
/// once per run, and no copy of it lands in a run directory.
/// </summary>
internal static class SealedProviderImages
{
    private const int BufferSize = 1 << 20;
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Image> Images = new(StringComparer.Ordinal);

    private sealed record Image(int Fd, string Sha256, long Size, string Signature)
    {
        public string Path => $"/proc/{Environment.ProcessId}/fd/{Fd}";
    }

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>The sealed image of <paramref name="source"/>'s current bytes: its path, digest and size.</summary>
    public static (string Path, string Sha256, long Size) Of(string source)
    {
        lock (Gate)
        {
            var signature = Posix.ContentSignature(source) ?? throw new IOException($"cannot stat '{source}'");
            if (Images.TryGetValue(source, out var known) && known.Signature == signature)
            {
                return (known.Path, known.Sha256, known.Size);
            }
            var image = Copy(source, signature);
            if (known is not null && known.Sha256 != image.Sha256)
            {
                Posix.Close(known.Fd); // runs that still execute it opened it already
            }
            Images[source] = image;
            return (image.Path, image.Sha256, image.Size);
        }
    }

    private static Image Copy(string source, string signature)
    {
        var fd = Posix.CreateMemoryFile(Path.GetFileName(source));
        if (fd < 0)
        {
            throw new IOException("this system cannot make an in-memory copy (memfd_create)");
        }
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[BufferSize];
            long size = 0;
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                Posix.WriteAll(fd, buffer.AsSpan(0, read));
                size += read;
            }
            if (!Posix.Seal(fd))
            {
                throw new IOException("the in-memory copy could not be sealed");
            }
            return new Image(fd, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), size, signature);
        }
        catch
        {
            Posix.Close(fd);
            throw;
        }
    }
}
