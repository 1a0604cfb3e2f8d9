using NJsonSchema;

namespace CtoHarness.Tests.Infrastructure;

public static class SchemaAssert
{
    private static readonly Lazy<JsonSchema> Lock = new(() => JsonSchema.FromFileAsync(Path.Combine(TestPaths.RepoRoot, "docs", "case-provider-lock.schema.json")).GetAwaiter().GetResult());

    public static void ValidLock(string path)
    {
        var errors = Lock.Value.Validate(File.ReadAllText(path));
        Assert.True(errors.Count == 0, $"{path} does not match docs/case-provider-lock.schema.json: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
    }
}
