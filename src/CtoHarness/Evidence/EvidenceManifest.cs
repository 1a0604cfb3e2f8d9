using CtoHarness.Contracts;

namespace CtoHarness.Evidence;

public static class EvidenceManifest
{
    public const string SymbolicLink = EvidenceFile.SymbolicLink;
    public const string SpecialFile = EvidenceFile.SpecialFile;

    /// <summary>
    /// Every entry under the run directory except the report and its digest: regular files with their SHA-256
    /// and size; symbolic links (never followed) and special files (FIFOs, sockets, devices) by kind, a link with
    /// its target, so that adding or retargeting one after the run is seen.
    /// </summary>
    public static List<EvidenceFile> Collect(string runDirectory)
    {
        var files = new List<EvidenceFile>();
        if (OperatingSystem.IsLinux())
        {
            WalkRaw(Processes.RawDirectory.PathBytes(Path.TrimEndingDirectorySeparator(runDirectory)), "", files);
        }
        else
        {
            Walk(new DirectoryInfo(runDirectory), runDirectory, files);
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    /// <summary>
    /// Linux: by the names' bytes, so that a name that is not UTF-8 is recorded (escaped) like any other, and no
    /// entry is opened through a link or in a way that blocks.
    /// </summary>
    private static void WalkRaw(byte[] directory, string relativeDirectory, List<EvidenceFile> files)
    {
        foreach (var name in Processes.RawDirectory.Names(directory))
        {
            var path = Processes.RawDirectory.Join(directory, name);
            var relative = relativeDirectory + Processes.RawDirectory.Display(name);
            if (relative is RunDirectory.ReportFileName or RunDirectory.ReportDigestFileName or RunDirectory.PageFileName)
            {
                continue;
            }
            switch (Processes.RawDirectory.Stat(path))
            {
                case null:
                    continue; // gone while we looked
                case ({ } type, _) when type == Processes.RawDirectory.Link:
                    files.Add(new EvidenceFile { Path = relative, Kind = SymbolicLink, LinkTarget = Processes.RawDirectory.LinkTarget(path) });
                    break;
                case ({ } type, _) when type == Processes.RawDirectory.Directory:
                    WalkRaw(path, relative + "/", files);
                    break;
                case ({ } type, var size) when type == Processes.RawDirectory.Regular:
                    using (var stream = Processes.RawDirectory.OpenToRead(path))
                    {
                        files.Add(new EvidenceFile { Path = relative, Sha256 = Sha256.OfStream(stream), Size = size });
                    }
                    break;
                default:
                    files.Add(new EvidenceFile { Path = relative, Kind = SpecialFile });
                    break;
            }
        }
    }

    private static void Walk(DirectoryInfo directory, string runDirectory, List<EvidenceFile> files)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            var relative = RunPaths.Relative(runDirectory, entry.FullName);
            if (relative is RunDirectory.ReportFileName or RunDirectory.ReportDigestFileName or RunDirectory.PageFileName)
            {
                continue;
            }
            if (entry.LinkTarget is { } target)
            {
                files.Add(new EvidenceFile { Path = relative, Kind = SymbolicLink, LinkTarget = target });
            }
            else if (entry is DirectoryInfo child)
            {
                Walk(child, runDirectory, files);
            }
            else if (Processes.Posix.IsSpecialFile(entry.FullName))
            {
                files.Add(new EvidenceFile { Path = relative, Kind = SpecialFile });
            }
            else
            {
                files.Add(new EvidenceFile { Path = relative, Sha256 = Sha256.OfFile(entry.FullName), Size = ((FileInfo)entry).Length });
            }
        }
    }
}
