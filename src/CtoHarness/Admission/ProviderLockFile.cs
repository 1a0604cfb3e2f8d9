using System.Text.Json;
using CtoHarness.Evidence;

namespace CtoHarness.Admission;

public sealed class LockUnreadableException(string message) : Exception(message);

public static class ProviderLockFile
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonFiles.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static ProviderLock Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LockUnreadableException(
                $"the provider lock '{path}' does not exist: build and admit ca with 'dotnet build -t:CaseProviderBuild' (it writes this lock), or point CtoHarnessCaseLockFile at the lock that admitted it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LockUnreadableException($"the provider lock '{path}' cannot be read: {e.Message}");
        }

        ProviderLock? providerLock;
        try
        {
            providerLock = StrictJson.Deserialize<ProviderLock>(bytes, ReadOptions);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } n ? $" at line {n + 1}" : "";
            throw new LockUnreadableException($"the provider lock '{path}' is malformed{line}: {e.Message}");
        }
        if (providerLock is null)
        {
            throw new LockUnreadableException($"the provider lock '{path}' is empty");
        }
        if (providerLock.SchemaVersion != ProviderLock.CurrentSchemaVersion || providerLock.Schema != ProviderLock.SchemaId)
        {
            throw new LockUnreadableException(
                $"the provider lock '{path}' has schema version {providerLock.SchemaVersion} ('{providerLock.Schema}'); this harness reads version {ProviderLock.CurrentSchemaVersion}");
        }
        if (providerLock.Binary.Sha256.Length != 64 || string.IsNullOrEmpty(providerLock.Binary.StorePath) || string.IsNullOrEmpty(providerLock.Binary.FileName))
        {
            throw new LockUnreadableException($"the provider lock '{path}' does not name a binary (fileName, sha256, storePath)");
        }
        foreach (var file in providerLock.Companions.Prepend(providerLock.Binary))
        {
            if (!IsPlainFileName(file.FileName))
            {
                // The verified copy is made under this name inside the run: a path here would put it elsewhere.
                throw new LockUnreadableException($"the provider lock '{path}' names the file '{file.FileName}'; fileName must be a plain file name, without a directory");
            }
        }
        return providerLock;
    }

    public static bool IsPlainFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0 && Path.GetFileName(name) == name;

    public static void Write(string path, ProviderLock providerLock) => JsonFiles.WriteAtomically(path, providerLock);

    /// <summary>A store path as written in the lock, resolved against the lock's directory when relative.</summary>
    public static string Resolve(string lockPath, string storePath) =>
        Path.IsPathRooted(storePath) ? storePath : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(lockPath))!, storePath));
}
