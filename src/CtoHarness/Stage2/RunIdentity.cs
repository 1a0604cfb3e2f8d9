using CtoHarness.Admission;
using CtoHarness.Contracts;
using CtoHarness.Fixtures;

namespace CtoHarness.Stage2;

/// <summary>What makes two runs of a pair the same run, known before it starts: fixture and its digest, lane, provider digest, model.</summary>
public sealed record RunIdentity(string FixtureId, string Lane, string? FixtureDigest, string? ProviderSha256, string Model)
{
    public static RunIdentity Of(Stage2Request request)
    {
        string fixtureId;
        string? digest = null;
        try
        {
            var fixture = FixtureLoader.Load(request.FixtureDirectory);
            fixtureId = fixture.Id;
            digest = Fixtures.FixtureDigest.Compute(fixture.Directory);
        }
        catch (Exception e) when (e is FixtureInvalidException or IOException or UnauthorizedAccessException)
        {
            fixtureId = FixtureLoader.SafeKey(request.FixtureDirectory);
        }
        string? provider = null;
        try
        {
            provider = ProviderLockFile.Read(request.Launch.LockFile).Binary.Sha256;
        }
        catch (LockUnreadableException)
        {
            // The run itself will block on it; it just cannot be resumed.
        }
        return new RunIdentity(fixtureId, request.Lane.Name, digest, provider, request.ModelKey);
    }

    /// <summary>True when <paramref name="earlier"/> passed the same policy over as many attempts, with exactly this fixture, provider and model.</summary>
    public bool IsSamePassAs(SummaryPair earlier, Attempts.PassPolicy policy, int attempts) =>
        earlier.Verdict == Contracts.RunStatus.Pass && earlier.Fixture == FixtureId && earlier.Lane == Lane &&
        earlier.Policy == policy.ToString() && earlier.Attempts == attempts &&
        FixtureDigest is not null && earlier.FixtureDigest == FixtureDigest &&
        ProviderSha256 is not null && earlier.ProviderSha256 == ProviderSha256 &&
        earlier.Model == Model;
}
