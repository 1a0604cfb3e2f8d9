using CtoHarness.Admission;
using CtoHarness.Configuration;
using Microsoft.Build.Framework;
using CtoHarness.Contracts;

namespace CtoHarness.Build;

/// <summary>Records the admission of a built `ca` in case-provider.lock.json (see CaseProviderAdmission).</summary>
public class CaseProviderAdmit : CtoHarnessTask
{
    public string Checkout { get; set; } = "";

    [Required]
    public string LockFile { get; set; } = "";

    public string? Binary { get; set; }
    public string? Repository { get; set; }
    public string? Commit { get; set; }
    public ITaskItem[] AllowedModifiedFiles { get; set; } = [];
    public string? StoreDirectory { get; set; }
    public string? NodeVersionRange { get; set; }
    public string? BunVersionRange { get; set; }

    [Output]
    public string? Sha256 { get; private set; }

    /// <summary>The admitted copy of the binary in the provider store.</summary>
    [Output]
    public string? StorePath { get; private set; }

    private protected override void Run(CodedErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Checkout))
        {
            errors.AtSetting(Diagnostics.NoCaseCheckout.Code,
                "CaseProviderAdmit needs the Case source checkout: set -p:CtoHarnessCaseSource=/path/to/case (its built dist/ca is admitted).");
            return;
        }
        Admit(errors, Checkout, "bun");
    }

    /// <summary>Admits the build in <paramref name="checkout"/>, probing <paramref name="bunTool"/> for the toolchain record.</summary>
    private protected void Admit(CodedErrors errors, string checkout, string bunTool)
    {
        try
        {
            var result = CaseProviderAdmission.Admit(new AdmissionRequest(checkout, LockFile,
                string.IsNullOrWhiteSpace(StoreDirectory) ? HarnessDirectories.DefaultProviderStore() : StoreDirectory)
            {
                Binary = string.IsNullOrWhiteSpace(Binary) ? null : Binary,
                Repository = Or(Repository, AdmissionRequest.DefaultRepository),
                Commit = Or(Commit, AdmissionRequest.DefaultCommit),
                AllowedModifiedFiles = AllowedModifiedFiles.Select(i => i.ItemSpec.Replace('\\', '/')).ToList(),
                NodeRange = Or(NodeVersionRange, AdmissionRequest.DefaultNodeRange),
                BunRange = Or(BunVersionRange, AdmissionRequest.DefaultBunRange),
                BunTool = bunTool,
            });
            foreach (var warning in result.Warnings)
            {
                errors.Warning(Diagnostics.ToolchainMissing.Code, result.LockFile, $"{warning}; the lock records it.");
            }
            Sha256 = result.Lock.Binary.Sha256;
            StorePath = result.Lock.Binary.StorePath;
            Log.LogMessage(MessageImportance.High,
                $"CtoHarness admission: {(result.Unchanged ? "already admitted" : "admitted")} {result.Lock.Binary.FileName} sha256={result.Lock.Binary.Sha256} " +
                $"size={result.Lock.Binary.Size} from {result.Lock.Source.Repository}@{result.Lock.Source.Commit}, stored at {result.Lock.Binary.StorePath}, lock {result.LockFile}");
        }
        catch (AdmissionException e)
        {
            errors.Admission(e, LockFile);
        }
    }

    private protected static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
}
