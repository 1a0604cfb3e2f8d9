using System.Reflection;

namespace CtoHarness.Tests.Architecture;

/// <summary>
/// Every test class says what it needs (<c>dotnet test --filter Layer=Unit</c> runs in seconds): <c>Unit</c> (nothing but
/// the process itself), <c>Process</c> (child processes, builds, the sandbox), <c>RealCa</c> (the real `ca`, built
/// from source on demand) or <c>Browser</c> (Chromium).
/// </summary>
[Trait("Layer", "Unit")]
public class TestLayerTests
{
    private static readonly string[] Layers = ["Unit", "Process", "RealCa", "Browser"];

    [Fact]
    public void Every_test_class_names_one_layer()
    {
        var testClasses = typeof(TestLayerTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()));
        var unnamed = testClasses
            .Where(t => t.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Layer")
                .Select(a => (string?)a.ConstructorArguments[1].Value)
                .Count(Layers.Contains) != 1)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(unnamed.Count == 0, $"test classes without exactly one Layer trait ({string.Join(", ", Layers)}): {string.Join(", ", unnamed)}");
    }
}
