using CtoHarness.Admission;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>
/// Re-checks the admitted provider against its lock, on its own (CaseStage2 does the same check inside each
/// run, before any process starts, and then executes the verified copy).
/// </summary>
public sealed class CaseProviderVerify : CtoHarnessTask
{
    [Required]
    public string LockFile { get; set; } = "";

    public string? CaseBin { get; set; }

    private protected override void Run(CodedErrors errors)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"ctoharness-verify-{Guid.NewGuid():N}");
        try
        {
            var (verified, failure) = ProviderVerifier.Verify(LockFile, CaseBin, requireExecutable: true, scratch);
            if (failure is not null)
            {
                errors.Verification(failure, LockFile);
                return;
            }
            Log.LogMessage(MessageImportance.High,
                $"CtoHarness verify: {verified!.VerifiedFrom} is the admitted {verified.Lock.Binary.FileName} sha256={verified.Sha256} size={verified.Size} " +
                $"({verified.Lock.Source.Repository}@{verified.Lock.Source.Commit})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.HarnessFailure($"the provider could not be read or copied for verification: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
