using System.Text.Json.Nodes;
using CtoHarness.Fixtures;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "Unit")]
public class FixtureLoaderTests
{
    [Fact]
    public void The_built_in_fixture_loads()
    {
        var fixture = FixtureLoader.Load(TestPaths.SlugifyFixture);

        Assert.Equal("r1-string-slugify", fixture.Id);
        Assert.NotEmpty(fixture.Manifest.FailToPass);
        Assert.True(File.Exists(fixture.SolutionPatchPath));
        Assert.False(File.Exists(Path.Combine(fixture.SourcesDirectory, "fixture.json")), "the manifest must not be among the sources");
    }

    public static TheoryData<string, string> BadManifests => new()
    {
        { "unknown-key", "surprise" },
        { "empty-fail-to-pass", "vacuously" },
        { "escaping-protected-path", "inside the fixture" },
        { "absolute-sources", "sources" },
        { "hostile-id", "id '../escape'" },
        { "duplicate-test", "listed more than once" },
        { "missing-solution", "inside the fixture" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public void Bad_manifests_are_refused_with_the_reason(string change, string expected)
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        FixtureCopies.EditManifest(fixture, manifest =>
        {
            switch (change)
            {
                case "unknown-key": manifest["surprise"] = 1; break;
                case "empty-fail-to-pass": manifest["failToPass"] = new JsonArray(); break;
                case "escaping-protected-path": manifest["protectedPaths"] = new JsonArray("../../fixture.json"); break;
                case "absolute-sources": manifest["sources"] = "/etc"; break;
                case "hostile-id": manifest["id"] = "../escape"; break;
                case "duplicate-test": manifest["passToPass"]!.AsArray().Add(manifest["failToPass"]![0]!.GetValue<string>()); break;
                case "missing-solution": manifest["solutionPatch"] = "nowhere.patch"; break;
            }
        });

        var error = Assert.Throws<FixtureInvalidException>(() => FixtureLoader.Load(fixture));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Malformed_json_names_the_line()
    {
        using var temp = new TempDirectory();
        var fixture = FixtureCopies.Copy(temp.Path);
        File.WriteAllText(Path.Combine(fixture, "fixture.json"), "{\n  \"id\": \"x\",\n  oops\n}");

        var error = Assert.Throws<FixtureInvalidException>(() => FixtureLoader.Load(fixture));

        Assert.Contains("line 3", error.Message);
    }
}
