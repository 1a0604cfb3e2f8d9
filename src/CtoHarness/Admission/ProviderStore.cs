using CtoHarness.Evidence;
using CtoHarness.Contracts;

namespace CtoHarness.Admission;

/// <summary>
/// The durable, content-addressed store of admitted binaries: <c>&lt;store&gt;/sha256/&lt;digest&gt;/&lt;file name&gt;</c>,
/// read-only once written. Storing the same bytes again reuses the existing copy.
/// </summary>
public static class ProviderStore
{
    public static string Put(string storeDirectory, string source, string fileName, string sha256, long size)
    {
        var directory = Path.Combine(storeDirectory, "sha256", sha256);
        var destination = Path.Combine(directory, fileName);
        if (File.Exists(destination) && new FileInfo(destination).Length == size && Sha256.OfFile(destination) == sha256)
        {
            return destination;
        }

        Directory.CreateDirectory(directory);
        var staging = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.partial");
        try
        {
            var copied = VerifiedCopy.Copy(source, staging, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                                             UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            if (copied.Sha256 != sha256 || copied.Size != size)
            {
                throw new AdmissionException(Diagnostics.BinaryChangedWhileAdmitted,
                    $"'{source}' changed while it was admitted (hashed {sha256}, {size} bytes; copied {copied.Sha256}, {copied.Size} bytes). Admit it again once the build is finished.", source);
            }
            File.Move(staging, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging))
            {
                File.Delete(staging);
            }
        }
        return destination;
    }
}
