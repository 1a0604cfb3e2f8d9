using System.Security.Cryptography;

namespace CtoHarness.Evidence;

public static class Sha256
{
    private const int BufferSize = 1 << 20;

    /// <summary>Streams the file through SHA-256 without loading it whole; fit for 100+ MB binaries.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return Hex(SHA256.HashData(stream));
    }

    public static string OfBytes(ReadOnlySpan<byte> bytes) => Hex(SHA256.HashData(bytes));

    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();
}
