using CtoHarness.Admission;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.ProviderBuild;
using Microsoft.Build.Framework;

namespace CtoHarness.Build;

/// <summary>
/// Builds `ca` from the Case source at the pinned commit (see <see cref="CaseSourceBuild"/>) and admits the result
/// exactly as CaseProviderAdmit does: the one step a team takes before the case lanes.
/// </summary>
public sealed class CaseProviderBuild : CaseProviderAdmit
{
    /// <summary>A URL, a local checkout or a git bundle; default: Case's public repository.</summary>
    public string? Source { get; set; }

    public const string DefaultBunVersion = "1.3.14";

    /// <summary>The bun version installed from the npm registry to build with.</summary>
    public string? BunVersion { get; set; }

    /// <summary>Where the per-commit checkouts are kept (durable: the binary's digest depends on the folder).</summary>
    public string? BuildsDirectory { get; set; }

    private protected override void Run(CodedErrors errors)
    {
        var commit = Or(Commit, AdmissionRequest.DefaultCommit);
        Commit = commit;
        var build = CaseSourceBuild.Build(new CaseBuildRequest(Or(Source, AdmissionRequest.DefaultRepository), commit,
                string.IsNullOrWhiteSpace(BuildsDirectory) ? Path.Combine(HarnessDirectories.State(), "case-builds") : BuildsDirectory,
                HarnessDirectories.Cache(), Or(BunVersion, DefaultBunVersion))
            {
                Repository = Or(Repository, AdmissionRequest.DefaultRepository),
            },
            line => Log.LogMessage(MessageImportance.High, $"CtoHarness CaseProviderBuild: {line}"));
        Checkout = build.Checkout;
        Log.LogMessage(MessageImportance.High, $"CtoHarness CaseProviderBuild: {(build.Rebuilt ? "built" : "already built")} {build.Binary}");
        Admit(errors, build.Checkout, build.Bun);
    }
}
