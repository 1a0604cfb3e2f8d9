using NJsonSchema;

namespace CtoHarness.Tests.Infrastructure;

public static class SchemaAssert
{
    private static readonly Lazy<JsonSchema> Lock = new(() => JsonSchema.FromFileAsync(Path.Combine(TestPaths.RepoRoot, "docs", "case-provider-lock.schema.json")).GetAwaiter().GetResult());

    private static readonly Lazy<JsonSchema> Summary = new(() => JsonSchema.FromFileAsync(Path.Combine(TestPaths.RepoRoot, "docs", "summary.schema.json")).GetAwaiter().GetResult());

    public static void ValidLock(string path) => Valid(Lock.Value, path, "case-provider-lock.schema.json");

    private static readonly Lazy<JsonSchema> Health = new(() => JsonSchema.FromFileAsync(Path.Combine(TestPaths.RepoRoot, "docs", "health.schema.json")).GetAwaiter().GetResult());

    public static void ValidSummary(string path) => Valid(Summary.Value, path, "summary.schema.json");

    public static void ValidHealth(string path) => Valid(Health.Value, path, "health.schema.json");

    private static readonly Lazy<JsonSchema> Cassette = new(() => JsonSchema.FromFileAsync(Path.Combine(TestPaths.RepoRoot, "docs", "model-cassette.schema.json")).GetAwaiter().GetResult());

    public static void ValidCassette(string path) => Valid(Cassette.Value, path, "model-cassette.schema.json");

    private static void Valid(JsonSchema schema, string path, string name)
    {
        var errors = schema.Validate(File.ReadAllText(path));
        Assert.True(errors.Count == 0, $"{path} does not match docs/{name}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
    }
}
