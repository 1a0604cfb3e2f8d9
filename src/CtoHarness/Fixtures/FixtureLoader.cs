using System.Text.Json;
using System.Text.RegularExpressions;
using CtoHarness.Evidence;

namespace CtoHarness.Fixtures;

public static partial class FixtureLoader
{
    private static readonly JsonSerializerOptions ManifestOptions = new(JsonFiles.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    public static Fixture Load(string fixtureDirectory)
    {
        var directory = Path.GetFullPath(fixtureDirectory);
        var manifestPath = Path.Combine(directory, FixtureManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new FixtureInvalidException($"'{manifestPath}' does not exist; a fixture directory holds a {FixtureManifest.FileName} manifest.");
        }

        FixtureManifest manifest;
        try
        {
            manifest = StrictJson.Deserialize<FixtureManifest>(File.ReadAllBytes(manifestPath), ManifestOptions);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } n ? $" at line {n + 1}" : "";
            throw new FixtureInvalidException($"'{manifestPath}' is not a valid fixture manifest{line}: {e.Message}");
        }

        var problems = Validate(manifest, directory).ToList();
        if (problems.Count > 0)
        {
            throw new FixtureInvalidException($"'{manifestPath}' is invalid: {string.Join("; ", problems)}.");
        }

        var solution = manifest.SolutionPatch is { Length: > 0 } patch ? Path.Combine(directory, patch) : null;
        return new Fixture(manifest, directory, Path.Combine(directory, manifest.Sources), solution);
    }

    /// <summary>A name safe to use in a run directory even when the manifest cannot be read.</summary>
    public static string SafeKey(string fixtureDirectory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(fixtureDirectory))).ToLowerInvariant();
        var safe = Regex.Replace(name, "[^a-z0-9._-]", "-").TrimStart('.', '-', '_');
        return safe.Length == 0 ? "fixture" : safe[..Math.Min(safe.Length, 64)];
    }

    private static IEnumerable<string> Validate(FixtureManifest m, string directory)
    {
        if (m.SchemaVersion != 1)
        {
            yield return $"schemaVersion {m.SchemaVersion} is not supported (expected 1)";
        }
        if (!IdPattern().IsMatch(m.Id))
        {
            yield return $"id '{m.Id}' must be 1-64 of a-z, 0-9, '.', '_', '-' starting with a letter or digit";
        }
        if (!IsContainedPath(directory, m.Sources, out var sources) || !Directory.Exists(sources))
        {
            yield return $"sources '{m.Sources}' must be an existing folder inside the fixture";
        }
        else if (FirstLink(directory) is { } link)
        {
            // A link would bring files from outside the fixture into the workspace, unseen by the fixture digest.
            yield return $"'{RunPaths.Relative(directory, link)}' is a symbolic link; a fixture holds only plain files and folders";
        }
        foreach (var problem in ValidateTests(m.Tests))
        {
            yield return problem;
        }
        if (m.FailToPass.Count == 0)
        {
            yield return "failToPass must name at least one test: a fixture with no failing test passes vacuously";
        }
        foreach (var duplicate in m.FailToPass.Concat(m.PassToPass).GroupBy(id => id).Where(g => g.Count() > 1))
        {
            yield return $"test id '{duplicate.Key}' is listed more than once";
        }
        foreach (var path in m.ProtectedPaths.Concat(m.SolutionPatch is null ? [] : [m.SolutionPatch]))
        {
            var root = path == m.SolutionPatch ? directory : Path.Combine(directory, m.Sources);
            if (!IsContainedPath(root, path, out var full) || !File.Exists(full))
            {
                yield return $"'{path}' must be an existing file inside the fixture";
            }
        }
        foreach (var problem in m.HiddenTests is { } hidden ? ValidateHidden(m, hidden, directory) : [])
        {
            yield return problem;
        }
        if (string.IsNullOrWhiteSpace(m.Task.Title) || string.IsNullOrWhiteSpace(m.Task.Body))
        {
            yield return "task.title and task.body are required";
        }
    }

    private static IEnumerable<string> ValidateTests(FixtureTests tests)
    {
        if (tests.Command.Count == 0 || tests.Command.Any(string.IsNullOrWhiteSpace))
        {
            yield return "tests.command must be a non-empty list of arguments";
        }
        if (!TestFormats.All.Contains(tests.Format))
        {
            yield return $"tests.format '{tests.Format}' is not supported (supported: {string.Join(", ", TestFormats.All)})";
        }
        if (TestFormats.NeedsResultsFile(tests.Format) && !tests.Command.Any(a => a.Contains(TestFormats.ResultsPlaceholder, StringComparison.Ordinal)))
        {
            yield return $"tests.command must name the results file as {TestFormats.ResultsPlaceholder} (the harness keeps it outside the workspace)";
        }
        if (tests.TimeoutSeconds is < 1 or > 86400)
        {
            yield return "tests.timeoutSeconds must be 1 to 86400";
        }
    }

    private static IEnumerable<string> ValidateHidden(FixtureManifest m, FixtureHiddenTests hidden, string directory)
    {
        if (!IsContainedPath(directory, hidden.Sources, out var hiddenSources) || !Directory.Exists(hiddenSources))
        {
            yield return $"hiddenTests.sources '{hidden.Sources}' must be an existing folder inside the fixture";
        }
        if (hidden.FailToPass.Count + hidden.PassToPass.Count == 0)
        {
            yield return "hiddenTests must name at least one test (failToPass or passToPass)";
        }
        foreach (var both in hidden.FailToPass.Concat(hidden.PassToPass).Intersect(m.FailToPass.Concat(m.PassToPass)))
        {
            yield return $"hidden test id '{both}' is also a visible one";
        }
    }

    private static string? FirstLink(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                return entry.FullName;
            }
            if (entry is DirectoryInfo child && child.Name != ".git" && FirstLink(child.FullName) is { } nested)
            {
                return nested;
            }
        }
        return null;
    }

    private static bool IsContainedPath(string root, string relative, out string full)
    {
        full = "";
        if (string.IsNullOrWhiteSpace(relative) || Path.IsPathRooted(relative))
        {
            return false;
        }
        full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) || full == prefix.TrimEnd(Path.DirectorySeparatorChar);
    }
}
