using System.Text.Json.Nodes;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>Writable copies of the built-in fixture, for tests that break it on purpose.</summary>
public static class FixtureCopies
{
    public static string Copy(string destinationRoot)
    {
        var destination = Path.Combine(destinationRoot, "r1-string-slugify");
        foreach (var file in Directory.EnumerateFiles(TestPaths.SlugifyFixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(TestPaths.SlugifyFixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return destination;
    }

    public static void EditManifest(string fixture, Action<JsonObject> edit)
    {
        var path = Path.Combine(fixture, "fixture.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
