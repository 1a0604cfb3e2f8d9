namespace CtoHarness.Evidence;

public static class RunPaths
{
    /// <summary>A path inside the run directory as the report stores it: relative, with '/' separators.</summary>
    public static string Relative(string runDirectory, string path) =>
        Path.GetRelativePath(runDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
}
