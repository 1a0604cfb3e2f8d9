using CtoHarness.Preflight;

namespace CtoHarness.Admission;

/// <summary>Provider verification as the first preflight gate of every run; on success the run executes the verified copy.</summary>
public sealed class ProviderVerificationGate(string? requestedBinary) : IPreflightGate
{
    public PreflightBlock? Check(PreflightContext context)
    {
        var provider = context.ProviderRecord;
        provider.LockFile = context.Launch.LockFile;
        var (verified, failure) = ProviderVerifier.Verify(context.Launch.LockFile, requestedBinary,
            requireExecutable: context.Launch.DotnetHost is null, context.Run.VerifiedBinaries);

        var providerLock = verified?.Lock ?? failure?.Lock;
        provider.SourceRepository = providerLock?.Source.Repository;
        provider.SourceCommit = providerLock?.Source.Commit;
        provider.VerifiedFrom = verified?.VerifiedFrom ?? failure?.VerifiedFrom;
        if (failure is not null)
        {
            provider.Sha256 = failure.ActualSha256;
            provider.Size = failure.ActualSize;
            provider.Verification = "failed";
            return new PreflightBlock(failure.Kind, failure.Detail, failure.MarkerText);
        }

        provider.ExecutablePath = verified!.ExecutablePath;
        provider.Sha256 = verified.Sha256;
        provider.Size = verified.Size;
        provider.Verification = "verified";
        context.Launch = context.Launch with { ExecutablePath = verified.ExecutablePath };
        return null;
    }
}
