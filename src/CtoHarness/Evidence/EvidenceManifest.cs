namespace CtoHarness.Evidence;

public static class EvidenceManifest
{
    /// <summary>Every file under the run directory with its SHA-256 and size, except the report itself.</summary>
    public static List<EvidenceFile> Collect(string runDirectory, string reportFileName)
    {
        var files = new List<EvidenceFile>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(runDirectory, "*", options))
        {
            var relative = RunPaths.Relative(runDirectory, path);
            if (relative == reportFileName)
            {
                continue;
            }
            files.Add(new EvidenceFile { Path = relative, Sha256 = Sha256.OfFile(path), Size = new FileInfo(path).Length });
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
