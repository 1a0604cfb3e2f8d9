using System.Globalization;

namespace CtoHarness.Sandbox;

/// <summary>
/// What every program of a run may use: processes (threads included, as the kernel counts them), memory per
/// process (data segment), the size of any one file, and the bytes all files in the run's writable folders may
/// hold together (the harness watches this one; a run past it is stopped).
/// </summary>
public sealed record SandboxLimits(int Processes, long MemoryBytes, long FileBytes, long DiskBytes)
{
    private const long MiB = 1024L * 1024;

    public static SandboxLimits Default { get; } = new(4096, 8192 * MiB, 2048 * MiB, 16384 * MiB);

    /// <summary>The setting's text is a <c>;</c> list of <c>processes=N</c>, <c>memoryMB=N</c>, <c>fileMB=N</c>, <c>diskMB=N</c>; unnamed limits keep their defaults.</summary>
    public static SandboxLimits? Parse(string? text, out string? error)
    {
        error = null;
        var limits = Default;
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                error = $"'{part}' is not name=whole number";
                return null;
            }
            limits = pair[0] switch
            {
                "processes" when value <= 1_000_000 => limits with { Processes = (int)value },
                "memoryMB" when value <= 1L << 30 => limits with { MemoryBytes = value * MiB },
                "fileMB" when value <= 1L << 30 => limits with { FileBytes = value * MiB },
                "diskMB" when value <= 1L << 30 => limits with { DiskBytes = value * MiB },
                _ => null,
            };
            if (limits is null)
            {
                error = $"'{part}' names no limit (processes, memoryMB, fileMB, diskMB) or is out of range";
                return null;
            }
        }
        return limits;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"processes={Processes};memoryMB={MemoryBytes / MiB};fileMB={FileBytes / MiB};diskMB={DiskBytes / MiB}");
}
