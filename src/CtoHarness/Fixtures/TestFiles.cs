using System.Text.RegularExpressions;

namespace CtoHarness.Fixtures;

/// <summary>
/// The files of a fixture's sources that its test command runs, as far as they can be told without running it: what
/// the command names (a file, or every file of a folder; for a project file, the sources beside it), the Python
/// modules its test ids and arguments name (with their packages' <c>__init__.py</c>), and files named like tests.
/// A fixture must protect every one of them, or the agent could pass by editing a test.
/// </summary>
public static partial class TestFiles
{
    [GeneratedRegex(@"(^|/)(test_[^/]*\.py|[^/]*_test\.py|[^/]*Tests?\.cs|[^/]*\.(test|spec)\.(js|mjs|cjs|ts|mts|cts|tsx))$")]
    private static partial Regex NamedLikeATest();

    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    /// <summary>Paths relative to the sources, with '/' separators, in order.</summary>
    public static IReadOnlyList<string> Of(Fixture fixture)
    {
        var sources = fixture.SourcesDirectory;
        var all = Directory.EnumerateFiles(sources, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(sources, file).Replace('\\', '/'))
            .Where(file => !file.StartsWith(".git/", StringComparison.Ordinal))
            .ToList();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var argument in fixture.Manifest.Tests.Command.Skip(1).Select(a => a.TrimEnd('/')))
        {
            found.UnionWith(NamedBy(argument, all));
        }
        foreach (var id in fixture.AllTestIds.Concat(fixture.Manifest.Tests.Command))
        {
            found.UnionWith(PythonModule(id, all));
        }
        found.UnionWith(all.Where(file => NamedLikeATest().IsMatch(file)));
        return [.. found];
    }

    /// <summary>A file the argument names, every file of a folder it names, and for a project file the files of its folder.</summary>
    private static IEnumerable<string> NamedBy(string argument, List<string> all)
    {
        if (all.Contains(argument))
        {
            var folder = Path.GetDirectoryName(argument)!.Replace('\\', '/');
            return ProjectExtensions.Contains(Path.GetExtension(argument))
                ? all.Where(file => folder.Length == 0 ? !file.Contains('/') : file.StartsWith(folder + "/", StringComparison.Ordinal))
                : [argument];
        }
        return argument.Length > 0 ? all.Where(file => file.StartsWith(argument + "/", StringComparison.Ordinal)) : [];
    }

    /// <summary>For <c>a.b.C.test_x</c>: the longest <c>a/b.py</c> that exists, and the <c>__init__.py</c> of each package on the way.</summary>
    private static IEnumerable<string> PythonModule(string dotted, List<string> all)
    {
        var parts = dotted.Split('.');
        for (var length = parts.Length; length >= 1; length--)
        {
            var module = string.Join('/', parts.Take(length)) + ".py";
            if (all.Contains(module))
            {
                return Enumerable.Range(1, length - 1).Select(i => string.Join('/', parts.Take(i)) + "/__init__.py").Where(all.Contains).Append(module);
            }
        }
        return [];
    }
}
