using System.Security.Cryptography;

namespace CtoHarness.Evidence;

public static class Sha256
{
    private const int BufferSize = 1 << 20;

    public static string Empty { get; } = OfBytes([]);

    /// <summary>
    /// Streams the file through SHA-256 without loading it whole; fit for 100+ MB binaries. A zero-length
    /// entry is never opened: FIFOs and sockets (which a dead .NET or a hostile agent can leave in a run
    /// directory) report length 0, and opening a FIFO would block forever.
    /// </summary>
    public static string OfFile(string path)
    {
        if (new FileInfo(path).Length == 0)
        {
            return Empty;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return Hex(SHA256.HashData(stream));
    }

    public static string OfStream(Stream stream) => Hex(SHA256.HashData(stream));

    public static string OfBytes(ReadOnlySpan<byte> bytes) => Hex(SHA256.HashData(bytes));

    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();
}
