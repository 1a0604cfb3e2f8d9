using System.Text;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>What hostile tests look for after a run: a secret anywhere in a tree, processes that carry the test's token.</summary>
public static class Hostility
{
    public static void AssertNowhereUnder(string directory, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 20];
            var carry = 0;
            int read;
            while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0)
            {
                var filled = carry + read;
                Assert.True(buffer.AsSpan(0, filled).IndexOf(needle) < 0, $"{file} contains the secret");
                carry = Math.Min(needle.Length - 1, filled);
                Array.Copy(buffer, filled - carry, buffer, 0, carry);
            }
        }
    }

    /// <summary>Living processes whose command line holds the test's token, whatever their environment.</summary>
    public static List<string> Marked(string token)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                if (commandLine.Contains(token) && stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X'))
                {
                    found.Add($"{Path.GetFileName(directory)}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone
            }
        }
        return found;
    }

    public static void KillMarked(string token)
    {
        foreach (var entry in Marked(token))
        {
            var pid = int.Parse(entry[..entry.IndexOf(':')]);
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // gone
            }
        }
    }
}
