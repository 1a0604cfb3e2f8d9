using System.Text;

namespace CtoHarness.Evidence;

/// <summary>
/// Masks the values of secrets that reached the provider in every evidence file: whatever the provider
/// or the model printed or wrote, the run directory never keeps a secret.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[REDACTED]";
    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD"];
    private static readonly byte[] MaskBytes = Encoding.UTF8.GetBytes(Mask);
    private const long MaxFileBytes = 256L * 1024 * 1024;
    private readonly List<byte[]> _secrets = [];

    public static bool IsSecretName(string name) => SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    public bool IsEmpty => _secrets.Count == 0;

    public void Add(string? value)
    {
        // Very short values would mask ordinary text; no real secret is that short.
        if (value is { Length: >= 6 } && !_secrets.Any(s => s.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(value))))
        {
            _secrets.Add(Encoding.UTF8.GetBytes(value));
        }
    }

    public byte[] Redact(byte[] bytes)
    {
        foreach (var secret in _secrets)
        {
            bytes = Replace(bytes, secret);
        }
        return bytes;
    }

    public void RedactFiles(string directory)
    {
        if (IsEmpty)
        {
            return;
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(directory, "*", options))
        {
            var info = new FileInfo(path);
            if (info.Length == 0 || info.Length > MaxFileBytes)
            {
                continue;
            }
            var bytes = File.ReadAllBytes(path);
            var redacted = Redact(bytes);
            if (!ReferenceEquals(bytes, redacted))
            {
                if (info.IsReadOnly)
                {
                    info.IsReadOnly = false;
                }
                File.WriteAllBytes(path, redacted);
            }
        }
    }

    private static byte[] Replace(byte[] bytes, byte[] secret)
    {
        var first = bytes.AsSpan().IndexOf(secret);
        if (first < 0)
        {
            return bytes;
        }
        using var output = new MemoryStream(bytes.Length);
        var rest = bytes.AsSpan();
        int index;
        while ((index = rest.IndexOf(secret)) >= 0)
        {
            output.Write(rest[..index]);
            output.Write(MaskBytes);
            rest = rest[(index + secret.Length)..];
        }
        output.Write(rest);
        return output.ToArray();
    }
}
