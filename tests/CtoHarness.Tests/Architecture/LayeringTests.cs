using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Architecture;

[Trait("Layer", "Unit")]
public class LayeringTests
{
    [Fact]
    public void The_core_library_s_folders_form_layers_with_no_upward_reference_and_no_circle()
    {
        var violations = Layering.Violations(Path.Combine(TestPaths.RepoRoot, "src", "CtoHarness"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void An_upward_reference_a_circle_and_an_unplaced_folder_are_each_reported()
    {
        using var root = new TempDirectory();
        Write(root.Path, "Contracts/Report.cs", "namespace CtoHarness.Contracts;\nusing CtoHarness.Stage2;\npublic class Report { }\n");
        Write(root.Path, "Relay/A.cs", "namespace CtoHarness.Relay;\npublic class A { Replay.B? b; }\n");
        Write(root.Path, "Replay/B.cs", "using CtoHarness.Relay;\nnamespace CtoHarness.Replay;\npublic class B { }\n");
        Write(root.Path, "Stage2/Runner.cs", "namespace CtoHarness.Stage2;\npublic class Runner { }\n");
        Write(root.Path, "Gadgets/G.cs", "namespace CtoHarness.Gadgets;\npublic class G { }\n");

        var violations = Layering.Violations(root.Path);

        Assert.Contains(violations, v => v.StartsWith("Contracts/Report.cs:2: Contracts (contracts) uses Stage2 (pipeline)"));
        Assert.Contains(violations, v => v.Contains("in a circle: Relay -> Replay -> Relay"));
        Assert.Contains(violations, v => v.Contains("the folder Gadgets is in no layer"));
        Assert.Equal(3, violations.Count);
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
