namespace CtoHarness.Admission;

/// <summary>Writes a changed copy of a lock elsewhere, with every store path made absolute so it still points at the same files.</summary>
public static class LockVariants
{
    public static string Write(string lockPath, string destination, Action<ProviderLock> change)
    {
        var providerLock = ProviderLockFile.Read(lockPath);
        foreach (var file in providerLock.Companions.Prepend(providerLock.Binary))
        {
            file.StorePath = ProviderLockFile.Resolve(lockPath, file.StorePath);
        }
        change(providerLock);
        ProviderLockFile.Write(destination, providerLock);
        return destination;
    }
}
