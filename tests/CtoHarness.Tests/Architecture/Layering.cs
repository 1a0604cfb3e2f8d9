using System.Text.RegularExpressions;

namespace CtoHarness.Tests.Architecture;

/// <summary>
/// The folders of the core library as layers, lowest first (docs/design.md "Layers"): a folder may use its own layer
/// and the ones below it, never one above, and the folders of one layer never use each other in a circle. A reference
/// is a <c>using CtoHarness.X;</c> or an <c>X.Type</c> naming a folder (what the workplace's folder-cycle tool reads too).
/// </summary>
public static class Layering
{
    public static IReadOnlyList<(string Layer, string[] Folders)> Layers { get; } =
    [
        ("contracts", ["Contracts"]),
        ("io", ["Sandbox", "Processes", "Evidence", "Workspace", "Fixtures", "Loopback", "Protocol"]),
        ("capabilities", ["Attempts", "Baselines", "Packages", "Fake", "Backend", "Preflight", "Admission", "ProviderBuild", "Models", "Relay", "ScriptedModel", "Replay", "Grading", "Pages"]),
        ("pipeline", ["Settings", "Lanes", "Stage2", "Configuration", "Reporting", "Health", "FixtureCheck"]),
    ];

    public sealed record Reference(string From, string To, string File, int Line);

    /// <summary>Every reference from one folder of <paramref name="root"/> to another.</summary>
    public static List<Reference> References(string root)
    {
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>().ToList();
        var alternatives = string.Join("|", folders.Select(Regex.Escape));
        var pattern = new Regex($@"(?:\bCtoHarness\.({alternatives})\b|(?<![\w.])({alternatives})\.[A-Z]\w*)");
        var references = new List<Reference>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (Match match in pattern.Matches(lines[i]))
                    {
                        var target = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                        if (target != folder)
                        {
                            references.Add(new(folder, target, Path.GetRelativePath(root, file), i + 1));
                        }
                    }
                }
            }
        }
        return references;
    }

    /// <summary>What breaks the layering: a folder in no layer, a reference upward, or folders of one layer in a circle.</summary>
    public static List<string> Violations(string root)
    {
        var layerOf = Layers.SelectMany((layer, index) => layer.Folders.Select(folder => (folder, index))).ToDictionary(p => p.folder, p => p.index);
        var problems = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj") && !layerOf.ContainsKey(f!))
            .Select(f => $"the folder {f} is in no layer: add it to Layering.Layers and docs/design.md").ToList();
        var references = References(root).Where(r => layerOf.ContainsKey(r.From) && layerOf.ContainsKey(r.To)).ToList();
        problems.AddRange(references.Where(r => layerOf[r.To] > layerOf[r.From])
            .Select(r => $"{r.File}:{r.Line}: {r.From} ({Layers[layerOf[r.From]].Layer}) uses {r.To} ({Layers[layerOf[r.To]].Layer}), a higher layer"));
        var edges = references.GroupBy(r => r.From).ToDictionary(g => g.Key, g => g.Select(r => r.To).ToHashSet());
        foreach (var circle in Circles(edges))
        {
            problems.Add($"these folders use each other in a circle: {string.Join(" -> ", circle)}");
        }
        return problems;
    }

    /// <summary>One circle per folder that can reach itself (depth-first from each folder; the graph is small).</summary>
    private static IEnumerable<List<string>> Circles(Dictionary<string, HashSet<string>> edges)
    {
        var reported = new HashSet<string>();
        foreach (var start in edges.Keys.Order())
        {
            var path = PathBack(start, start, edges, []);
            if (path is not null && !reported.Overlaps(path))
            {
                reported.UnionWith(path);
                yield return path;
            }
        }
    }

    private static List<string>? PathBack(string from, string target, Dictionary<string, HashSet<string>> edges, HashSet<string> seen)
    {
        foreach (var next in edges.GetValueOrDefault(from, []).Order())
        {
            if (next == target)
            {
                return [from, target];
            }
            if (seen.Add(next) && PathBack(next, target, edges, seen) is { } rest)
            {
                return [from, .. rest];
            }
        }
        return null;
    }
}
