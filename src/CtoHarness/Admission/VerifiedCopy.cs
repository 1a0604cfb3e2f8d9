using System.Security.Cryptography;

namespace CtoHarness.Admission;

/// <summary>
/// Copies a file while hashing the very bytes it writes, so that the copy's digest is known without
/// reading the source twice: what is verified is what was copied (time of check = time of use).
/// </summary>
public static class VerifiedCopy
{
    private const int BufferSize = 1 << 20;

    public static (string Sha256, long Size) Copy(string source, string destination, UnixFileMode? mode = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long size = 0;
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan))
        using (var output = new FileStream(destination, PrivateCreate()))
        {
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                size += read;
            }
            output.Flush(flushToDisk: true);
        }
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, unixMode);
        }
        return (Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), size);
    }

    private static FileStreamOptions PrivateCreate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }
}
