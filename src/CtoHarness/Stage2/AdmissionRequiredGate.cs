using CtoHarness.Backend;
using CtoHarness.Evidence;

namespace CtoHarness.Stage2;

/// <summary>
/// Fails the case lane closed until provider admission (case-provider.lock.json verification) exists:
/// an unverified `ca` never runs.
/// </summary>
public sealed class AdmissionRequiredGate : IPreflightGate
{
    public PreflightBlock? Check(ProviderLaunch launch, Stage2Report report)
    {
        const string problem = "this version of CtoHarness cannot verify a real `ca` against an admission lock yet, so it refuses to run one";
        return new PreflightBlock(FailureKind.ProviderUnverified, problem, $"provider: {launch.Kind}\npath: {launch.ExecutablePath}\nproblem: {problem}\n");
    }
}
