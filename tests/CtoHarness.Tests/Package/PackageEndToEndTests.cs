using System.IO.Compression;
using System.Text.RegularExpressions;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Package;

/// <summary>
/// The packed nupkg consumed the way another repository consumes it: a clean local feed, an isolated
/// nuget.config and NUGET_PACKAGES, one PackageReference, `dotnet build -t:CaseStage2`.
/// </summary>
[Trait("Layer", "Process")]
public sealed class PackageEndToEndTests(PackedHarness packed) : IClassFixture<PackedHarness>, IDisposable
{
    // The shape CI annotators read, e.g. GitHub's .NET problem matcher: file(line[,col]): error CODE: message [project]
    private static readonly Regex AnnotatableError = new(@"^(?<file>\S.*)\((?<line>\d+)(?:,\d+|,\d+,\d+)?\):\s+error\s+(?<code>CTOH\d{3}):\s*(?<message>.*?)\s+\[(?<project>.*?)\]$");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_nupkg_has_the_documented_layout_and_no_dependencies()
    {
        using var archive = ZipFile.OpenRead(packed.Package);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();

        string[] expected =
        [
            "build/CtoHarness.Build.props", "build/CtoHarness.Build.targets",
            "buildMultiTargeting/CtoHarness.Build.props", "buildMultiTargeting/CtoHarness.Build.targets",
            "tools/net8.0/CtoHarness.Build.dll", "tools/net8.0/CtoHarness.dll",
            "tools/net8.0/fake-case/CtoHarness.FakeCase.dll", "tools/net8.0/fake-case/CtoHarness.FakeCase.runtimeconfig.json",
            "tools/net8.0/fake-case/case-provider.lock.json",
            "fixtures/r1-string-slugify/fixture.json", "fixtures/r1-string-slugify/solution.patch",
            "fixtures/r1-string-slugify/repo/strings.py", "fixtures/r1-string-slugify/repo/test_strings.py",
            "PACKAGE.md", "icon.png",
        ];
        Assert.All(expected, path => Assert.Contains(path, entries));
        Assert.DoesNotContain(entries, e => Regex.IsMatch(e, @"(^|/)Microsoft\.Build[^/]*\.dll$"));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/") || e.EndsWith(".pdb"));
        using var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("<developmentDependency>true</developmentDependency>", text);
        Assert.DoesNotContain("<dependencies>", text);
        Assert.Contains("<license type=\"expression\">", text);
        // What a public feed shows: the project, the repository at the packed commit, an icon, a consumer README, notes.
        Assert.Contains("<projectUrl>https://github.com/ctoharness/CtoHarness</projectUrl>", text);
        var head = CtoHarness.Workspace.Git.Run(TestPaths.RepoRoot, "rev-parse", "HEAD").Trim();
        Assert.Matches($"<repository type=\"git\" url=\"https://github.com/ctoharness/CtoHarness.git\"[^>]* commit=\"{head}\" />", text);
        Assert.Contains("<icon>icon.png</icon>", text);
        Assert.Contains("<readme>PACKAGE.md</readme>", text);
        Assert.Contains("<releaseNotes>", text);
        using var readme = new StreamReader(archive.GetEntry("PACKAGE.md")!.Open());
        Assert.Contains("dotnet build -t:CaseStage2", readme.ReadToEnd());
        Assert.DoesNotContain("README.md", entries);
    }

    [Fact]
    public void Nothing_of_another_build_is_packed()
    {
        // The packed harness names only its own version: a test's pack (another version) or a leftover never ships.
        using var archive = ZipFile.OpenRead(packed.Package);
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var text = reader.ReadToEnd();
            var versions = Regex.Matches(text, @"0\.1\.0[-+][0-9A-Za-z.\-]+").Select(m => m.Value).Distinct();
            Assert.All(versions, v => Assert.StartsWith(packed.Version, v));
        }
    }

    [Fact]
    public void A_consumer_passes_CaseStage2_and_a_failing_scenario_prints_annotatable_errors()
    {
        var project = WriteConsumer("Consumer", "<TargetFramework>net10.0</TargetFramework>");

        var passed = Build(project);
        var failed = Build(project, "-p:CtoHarnessFakeScenario=noop");

        Assert.True(passed.ExitCode == 0, passed.Output);
        Assert.Contains("status=pass", passed.Output);
        Assert.NotEqual(0, failed.ExitCode);
        var errors = failed.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error CTOH")).Distinct().ToList();
        var error = AnnotatableError.Match(Assert.Single(errors));
        Assert.True(error.Success, $"not annotatable: {errors[0]}");
        Assert.Equal("CTOH402", error.Groups["code"].Value);
        Assert.EndsWith("report.json", error.Groups["file"].Value);
        Assert.True(File.Exists(error.Groups["file"].Value));
        Assert.Equal(project, error.Groups["project"].Value);
        ReportAssert.Valid(error.Groups["file"].Value);
    }

    [Fact]
    [Trait("Layer", "RealCa")]
    public void A_consumer_with_only_the_package_builds_and_admits_the_real_ca_and_passes_case_scripted()
    {
        // The first thing a team does: CaseProviderBuild from the Case source (the bundle beside the checkout in CI,
        // else the public repository), then the real ca against the scripted model. Nothing of this repository's
        // scripts is used.
        var source = Environment.GetEnvironmentVariable("CTOHARNESS_CASE_SOURCE") is { Length: > 0 } configured ? configured : "https://github.com/workos/case.git";
        var commit = RealCa.Commit; // the commit the real-ca tests build (the source's HEAD): built once per machine
        var project = WriteConsumer("Adopter", "<TargetFramework>net10.0</TargetFramework>",
            """<ItemGroup><CtoHarnessCaseAllowedModifiedFile Include="src/generated/package-assets.ts" /></ItemGroup>""");

        var built = Build(project, "-t:CaseProviderBuild", $"-p:CtoHarnessCaseSource={source}", $"-p:CtoHarnessCaseCommit={commit}");
        var staged = Build(project, "-p:CtoHarnessLane=case-scripted");

        Assert.True(built.ExitCode == 0, built.Output);
        var lockFile = Path.Combine(Path.GetDirectoryName(project)!, "case-provider.lock.json");
        Assert.Contains($"\"commit\": \"{commit}\"", File.ReadAllText(lockFile));
        Assert.True(staged.ExitCode == 0, staged.Output);
        Assert.Contains("lane=case-scripted status=pass", staged.Output);
    }

    [Fact]
    public void A_multi_targeting_consumer_runs_stage2_once()
    {
        var project = WriteConsumer("MultiConsumer", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>");

        var (exitCode, output) = Build(project);

        Assert.True(exitCode == 0, output);
        Assert.Single(Regex.Matches(output, "CtoHarness Stage 2: fixture="));
    }

    private string WriteConsumer(string name, string frameworks, string items = "")
    {
        var directory = _temp.Combine(name);
        Directory.CreateDirectory(directory);
        // The machine's own global packages folder is a read-only fallback for framework reference packs only;
        // CtoHarness.Build itself can come from nowhere but the fresh local feed (unique version).
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="ctoharness-local" value="{packed.Feed}" />
                <add key="machine-packages" value="{machinePackages}" />
              </packageSources>
            </configuration>
            """);
        var project = Path.Combine(directory, $"{name}.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                {frameworks}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CtoHarness.Build" Version="{packed.Version}" PrivateAssets="all" />
              </ItemGroup>
              {items}
            </Project>
            """);
        return project;
    }

    private (int ExitCode, string Output) Build(string project, params string[] extra)
    {
        var directory = Path.GetDirectoryName(project)!;
        var binlog = Path.Combine(directory, $"build-{Guid.NewGuid():N}.binlog");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = _temp.Combine("nuget-packages") };
        var target = extra.FirstOrDefault(e => e.StartsWith("-t:", StringComparison.Ordinal)) ?? "-t:CaseStage2";
        string[] arguments = ["build", project, target, "/nodeReuse:false", "-nologo", "-clp:NoSummary", $"-bl:{binlog}",
            $"-p:CtoHarnessRunsDir={_temp.Combine("runs")}", .. extra.Where(e => e != target)];
        var result = Dotnet.Run(directory, environment, arguments);
        KeepBinlogIfUnexpected(binlog, result.ExitCode, !extra.Contains("-p:CtoHarnessFakeScenario=noop"));
        return result;
    }

    /// <summary>A build that did not end as expected keeps its binlog under artifacts/test-binlogs for diagnosis.</summary>
    private static void KeepBinlogIfUnexpected(string binlog, int exitCode, bool expectedToPass)
    {
        if ((exitCode == 0) != expectedToPass && File.Exists(binlog))
        {
            var kept = Path.Combine(TestPaths.RepoRoot, "artifacts", "test-binlogs");
            Directory.CreateDirectory(kept);
            File.Copy(binlog, Path.Combine(kept, Path.GetFileName(binlog)), overwrite: true);
        }
    }
}
