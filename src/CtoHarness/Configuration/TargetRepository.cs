namespace CtoHarness.Configuration;

/// <summary>The repository being built: the nearest directory above the project that holds a .git (folder or file).</summary>
public static class TargetRepository
{
    public static string Root(string projectDirectory)
    {
        var start = Path.GetFullPath(projectDirectory);
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var git = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Path.TrimEndingDirectorySeparator(directory.FullName);
            }
        }
        return Path.TrimEndingDirectorySeparator(start);
    }
}
