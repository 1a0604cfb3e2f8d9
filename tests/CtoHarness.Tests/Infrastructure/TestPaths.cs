using System.Reflection;

namespace CtoHarness.Tests.Infrastructure;

public static class TestPaths
{
    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("CtoHarnessRepoRoot"));

    public static string TasksAssembly { get; } = Path.GetFullPath(Metadata("CtoHarnessTasksAssembly"));

    public static string FakeProviderAssembly { get; } = Path.Combine(Path.GetDirectoryName(TasksAssembly)!, "fake-case", "CtoHarness.FakeCase.dll");

    public static string BuildDirectory { get; } = Path.Combine(RepoRoot, "src", "CtoHarness.Build", "build");

    /// <summary>The package's built-in fixtures, each folder with a fixture.json, in name order.</summary>
    public static IReadOnlyList<string> BuiltInFixtures { get; } = Directory.GetDirectories(Path.Combine(RepoRoot, "src", "CtoHarness.Build", "fixtures"))
        .Where(directory => File.Exists(Path.Combine(directory, "fixture.json"))).Order(StringComparer.Ordinal).ToList();

    public static string SlugifyFixture { get; } = Path.Combine(RepoRoot, "src", "CtoHarness.Build", "fixtures", "r1-string-slugify");

    public static string IntervalFixture { get; } = Path.Combine(RepoRoot, "src", "CtoHarness.Build", "fixtures", "r2-interval-merge");

    public static string MoneyFixture { get; } = Path.Combine(RepoRoot, "src", "CtoHarness.Build", "fixtures", "r3-dotnet-money");

    public static string ReportSchema { get; } = Path.Combine(RepoRoot, "docs", "report.schema.json");
}
