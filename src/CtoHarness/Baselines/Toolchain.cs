using System.Text;

namespace CtoHarness.Baselines;

/// <summary>
/// What identifies the program a test command starts, as far as the harness can tell without running it: where PATH
/// finds it, the file it resolves to (size and time), and for <c>dotnet</c> the SDKs and runtimes installed beside it
/// (which of them a fixture's global.json selects is then decided by the fixture's own files).
/// </summary>
public static class Toolchain
{
    public static string Describe(string program, string? searchPath)
    {
        var text = new StringBuilder($"program {program}\n");
        if (Find(program, searchPath) is not { } found)
        {
            return text.Append("not found\n").ToString();
        }
        var resolved = new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? new FileInfo(found);
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"found {found}\nfile {resolved.FullName} {resolved.Length} {resolved.LastWriteTimeUtc.Ticks}\n");
        if (Path.GetFileNameWithoutExtension(resolved.Name) == "dotnet" && resolved.DirectoryName is { } root)
        {
            foreach (var folder in new[] { "sdk", Path.Combine("shared", "Microsoft.NETCore.App") })
            {
                var names = Directory.Exists(Path.Combine(root, folder))
                    ? Directory.GetDirectories(Path.Combine(root, folder)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
                    : [];
                text.Append(folder).Append(' ').Append(string.Join(" ", names)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string? Find(string program, string? searchPath)
    {
        if (program.Contains('/') || Path.IsPathRooted(program))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        return (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
    }
}
