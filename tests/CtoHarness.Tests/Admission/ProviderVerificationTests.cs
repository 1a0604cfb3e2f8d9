using System.Diagnostics;
using System.Text.Json.Nodes;
using CtoHarness.Admission;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Lanes;
using CtoHarness.Settings;
using CtoHarness.Stage2;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Admission;

[Trait("Layer", "Process")]
public sealed class ProviderVerificationTests : IDisposable
{
    private readonly CaseSource _source = new();
    private readonly LocalEndpoint _endpoint = new();

    public void Dispose()
    {
        _source.Dispose();
        _endpoint.Dispose();
    }

    private Stage2Result RunCaseLane(string? caseBin = null, string? lockFile = null)
    {
        var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
        {
            Fixtures = [TestPaths.SlugifyFixture],
            Lane = AdmittedModelLane.Id,
            RunsDirectory = Path.Combine(_source.Temp, "runs"),
            TimeoutSeconds = "60",
            CaseBin = caseBin,
            CaseLockFile = lockFile ?? _source.LockFile,
            CaseModelProvider = "qwen-local",
            CaseModel = "qwen3.6-35b-a3b",
            CaseLocalBaseUrl = _endpoint.BaseUrl,
            AdmittedModels = [new CtoHarness.Models.AdmittedModel("qwen-local", "qwen3.6-35b-a3b") { Local = true }],
        });
        Assert.Empty(errors);
        return Stage2Runner.Run(requests[0]);
    }

    private Stage2Report Blocked(Stage2Result result, FailureKind kind)
    {
        var report = ReportAssert.Ended(result, kind);
        Assert.False(report.Backend.CaseProcessStarted);
        Assert.False(File.Exists(_source.RecordPath) || File.Exists(CaseSource.RecordPathOf(report.RunDirectory)), "a provider process ran");
        return report;
    }

    [Fact]
    public void The_case_lane_runs_the_sealed_verified_image_of_the_admitted_binary()
    {
        _source.Build();
        var admitted = _source.Admit();

        var result = RunCaseLane();

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.True(report.Backend.CaseProcessStarted, $"{report.FailureReason}: {report.Message}");
        var executed = report.Provider.ExecutablePath!;
        Assert.Matches($@"^/proc/{Environment.ProcessId}/fd/\d+$", executed);
        Assert.Equal(File.ReadAllBytes(admitted.Binary.StorePath), File.ReadAllBytes(executed));
        // Sealed: not even this process can change the bytes that runs execute.
        var refused = Record.Exception(() =>
        {
            using var writer = new FileStream(executed, FileMode.Open, FileAccess.Write);
            writer.Write(new byte[] { 0x23 });
            writer.Flush();
        });
        Assert.True(refused is IOException or UnauthorizedAccessException, $"the image could be written: {refused}");
        Assert.Equal("verified", report.Provider.Verification);
        Assert.Equal(admitted.Binary.Sha256, report.Provider.Sha256);
        Assert.Equal(admitted.Binary.Size, report.Provider.Size);
        Assert.Equal(_source.Commit, report.Provider.SourceCommit);
        Assert.Equal("https://github.com/workos/case.git", report.Provider.SourceRepository);
        Assert.Equal(admitted.Binary.StorePath, report.Provider.VerifiedFrom);
        // In the sandbox the image is handed to the program as a descriptor: it runs as /proc/self/fd/<n>.
        Assert.Matches(@"^admitted /proc/self/fd/\d+$", File.ReadAllText(CaseSource.RecordPathOf(report.RunDirectory)).Trim());
        Assert.True(report.Backend.CaseProcessStarted);
    }

    [Fact]
    public void A_missing_lock_blocks_as_unavailable()
    {
        Blocked(RunCaseLane(), FailureKind.ProviderUnavailable);
    }

    [Fact]
    public void A_malformed_lock_blocks_and_names_the_line()
    {
        File.WriteAllText(_source.LockFile, "{\n  \"schema\": \"x\",\n  broken\n}\n");

        var result = RunCaseLane();

        Blocked(result, FailureKind.ProviderUnavailable);
        Assert.Contains("line 3", File.ReadAllText(result.EvidencePath));
    }

    [Fact]
    public void A_lock_of_an_unknown_schema_version_blocks()
    {
        _source.Build();
        _source.Admit();
        EditLock(l => l["schemaVersion"] = 99);

        var result = RunCaseLane();

        Blocked(result, FailureKind.ProviderUnavailable);
        Assert.Contains("schema version 99", File.ReadAllText(result.EvidencePath));
    }

    [Fact]
    public void A_missing_or_non_executable_binary_blocks_as_unavailable()
    {
        _source.Build();
        var admitted = _source.Admit();
        var notExecutable = Path.Combine(_source.Temp, "ca-not-executable");
        File.Copy(_source.Binary, notExecutable);
        File.SetUnixFileMode(notExecutable, UnixFileMode.UserRead);

        Blocked(RunCaseLane(caseBin: Path.Combine(_source.Temp, "nowhere", "ca")), FailureKind.ProviderUnavailable);
        Blocked(RunCaseLane(caseBin: _source.Temp), FailureKind.ProviderUnavailable);
        var result = RunCaseLane(caseBin: notExecutable);
        Blocked(result, FailureKind.ProviderUnavailable);
        Assert.Contains("not executable", File.ReadAllText(result.EvidencePath));
        Assert.True(File.Exists(admitted.Binary.StorePath));
    }

    [Fact]
    public void A_store_copy_that_changed_since_admission_is_unverified_with_expected_and_actual()
    {
        _source.Build();
        var admitted = _source.Admit();
        File.SetUnixFileMode(admitted.Binary.StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.AppendAllText(admitted.Binary.StorePath, "# changed\n");

        var result = RunCaseLane();

        var report = Blocked(result, FailureKind.ProviderUnverified);
        var marker = File.ReadAllText(result.EvidencePath);
        Assert.Contains($"expected sha256: {admitted.Binary.Sha256}", marker);
        Assert.Contains($"actual sha256: {Sha256.OfFile(admitted.Binary.StorePath)}", marker);
        Assert.Contains($"expected size: {admitted.Binary.Size}", marker);
        Assert.Equal("failed", report.Provider.Verification);
    }

    [Fact]
    public void A_case_bin_naming_other_bytes_than_the_admitted_ones_is_unverified()
    {
        _source.Build();
        _source.Admit();
        var other = Path.Combine(_source.Temp, "other-ca");
        _source.WriteScript(other, "other");

        var result = RunCaseLane(caseBin: other);

        Blocked(result, FailureKind.ProviderUnverified);
        Assert.Contains($"binary: {other}", File.ReadAllText(result.EvidencePath));
    }

    [Fact]
    public void A_file_replaced_after_verification_is_not_what_runs()
    {
        _source.Build();
        _source.Admit();
        var userCopy = Path.Combine(_source.Temp, "my-ca");
        File.Copy(_source.Binary, userCopy);
        File.SetUnixFileMode(userCopy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runLocal = Path.Combine(_source.Temp, "run-bin");

        var (verified, failure) = ProviderVerifier.Verify(_source.LockFile, userCopy, requireExecutable: true, runLocal);
        Assert.Null(failure);
        File.Delete(userCopy);
        _source.WriteScript(userCopy, "replacement");
        using (var process = Process.Start(verified!.ExecutablePath))
        {
            process.WaitForExit();
        }

        Assert.Equal($"admitted {verified.ExecutablePath}", File.ReadAllText(_source.RecordPath).Trim());
    }

    [Fact]
    public void The_fake_provider_has_a_lock_from_the_build_and_fake_runs_verify_against_it()
    {
        var lockFile = Path.Combine(Path.GetDirectoryName(TestPaths.FakeProviderAssembly)!, ProviderLock.DefaultFileName);
        SchemaAssert.ValidLock(lockFile);
        var fakeLock = ProviderLockFile.Read(lockFile);
        Assert.Equal("fake", fakeLock.Provider);
        Assert.Equal(Sha256.OfFile(TestPaths.FakeProviderAssembly), fakeLock.Binary.Sha256);

        var result = Stage2Runner.Run(FakeLane.Request(Path.Combine(_source.Temp, "runs")));

        var report = ReportAssert.Valid(result.ReportPath);
        Assert.Equal("verified", report.Provider.Verification);
        Assert.Equal(fakeLock.Binary.Sha256, report.Provider.Sha256);
        Assert.StartsWith(Path.Combine(report.RunDirectory, "backend", "bin"), report.Provider.ExecutablePath);
        Assert.Contains(report.Provider.ExecutablePath!, report.Backend.CommandLine);
    }

    private void EditLock(Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(_source.LockFile))!.AsObject();
        edit(node);
        File.WriteAllText(_source.LockFile, node.ToJsonString());
    }
}
