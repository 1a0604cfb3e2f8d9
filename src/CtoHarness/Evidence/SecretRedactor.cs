using System.Text;

namespace CtoHarness.Evidence;

/// <summary>
/// Masks the values of secrets that reached the provider in every evidence file of any size: whatever the
/// provider or the model printed or wrote, the run directory never keeps a secret. Files are streamed through
/// a fixed-size window, so memory stays bounded whatever their size.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[REDACTED]";
    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSPHRASE", "CREDENTIAL"];
    private static readonly byte[] MaskBytes = Encoding.UTF8.GetBytes(Mask);
    private const int WindowBytes = 1 << 20;
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

    /// <summary>
    /// Every secret-shaped value of the build's own environment (a variable named like a key, token, secret or
    /// password): none reaches a program of the run, and none may reach the evidence by any other path either.
    /// Paths and plain numbers are not secrets and would mask ordinary text.
    /// </summary>
    public SecretRedactor WithBuildEnvironment()
    {
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable is { Key: string name, Value: string value } && IsSecretName(name) && value.Length >= 8 &&
                !Path.IsPathRooted(value) && !value.All(char.IsAsciiDigit))
            {
                Add(value);
            }
        }
        return this;
    }

    public byte[] Redact(byte[] bytes)
    {
        if (!Contains(bytes))
        {
            return bytes;
        }
        using var output = new MemoryStream(bytes.Length);
        var kept = MaskWindow(bytes, bytes.Length, output, final: true);
        output.Write(bytes.AsSpan(kept));
        return output.ToArray();
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
            RedactFile(path);
        }
    }

    /// <summary>Rewrites the file with every secret masked, when it holds one; links and special files are left alone.</summary>
    public void RedactFile(string path)
    {
        var info = new FileInfo(path);
        if (IsEmpty || !info.Exists || info.Length == 0 || info.LinkTarget is not null || Processes.Posix.IsSpecialFile(path) || !FileContainsSecret(path))
        {
            return;
        }
        if (info.IsReadOnly)
        {
            info.IsReadOnly = false;
        }
        var temporary = path + ".redacting";
        using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Stream(input, (window, length, final) => MaskWindow(window, length, output, final), output);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private bool FileContainsSecret(string path)
    {
        var found = false;
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Stream(input, (window, length, final) =>
        {
            found |= Contains(window.AsSpan(0, length));
            return found ? length : Consumed(length, final);
        }, null);
        return found;
    }

    /// <summary>
    /// Hands the file to <paramref name="process"/> a window at a time; it returns how many bytes it is done with.
    /// The rest (at most the longest secret less one byte) is carried into the next window, so a secret split
    /// across two reads is still seen whole.
    /// </summary>
    private static void Stream(Stream input, Func<byte[], int, bool, int> process, Stream? tail)
    {
        var buffer = new byte[WindowBytes];
        var filled = 0;
        while (true)
        {
            var read = input.Read(buffer, filled, buffer.Length - filled);
            var final = read == 0;
            filled += read;
            var done = process(buffer, filled, final);
            if (final)
            {
                tail?.Write(buffer, done, filled - done);
                return;
            }
            Array.Copy(buffer, done, buffer, 0, filled - done);
            filled -= done;
        }
    }

    private int Consumed(int length, bool final) => final ? length : Math.Max(0, length - (_secrets.Max(s => s.Length) - 1));

    private bool Contains(ReadOnlySpan<byte> bytes)
    {
        foreach (var secret in _secrets)
        {
            if (bytes.IndexOf(secret) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes the window's first <paramref name="length"/> bytes with secrets masked, up to where it is safe to stop; returns how many bytes it consumed.</summary>
    private int MaskWindow(byte[] window, int length, Stream output, bool final)
    {
        var limit = Consumed(length, final);
        var position = 0;
        while (position < limit)
        {
            var (index, secret) = NextSecret(window.AsSpan(position, length - position));
            if (secret is null || position + index >= limit)
            {
                output.Write(window, position, limit - position);
                return limit;
            }
            output.Write(window, position, index);
            output.Write(MaskBytes);
            position += index + secret.Length;
        }
        return position;
    }

    private (int Index, byte[]? Secret) NextSecret(ReadOnlySpan<byte> bytes)
    {
        var best = (Index: int.MaxValue, Secret: (byte[]?)null);
        foreach (var secret in _secrets)
        {
            var index = bytes.IndexOf(secret);
            if (index >= 0 && (index < best.Index || (index == best.Index && secret.Length > best.Secret!.Length)))
            {
                best = (index, secret);
            }
        }
        return best.Secret is null ? (0, null) : best;
    }
}
