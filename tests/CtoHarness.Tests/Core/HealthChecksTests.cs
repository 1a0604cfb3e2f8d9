using CtoHarness.Health;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

[Trait("Layer", "RealCa")]
public sealed class HealthChecksTests : IDisposable
{
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    private static readonly string[] RealCaChecks = ["real_ca_scripted_pass", "real_ca_protocol_classified", "real_ca_timeout_fail_closed"];

    [Fact]
    public void Every_check_passes_with_the_real_ca()
    {
        var health = HealthChecks.Run(FakeLane.Request(_runs.Path), RealCa.Scripted(_runs.Combine("real")));

        Assert.True(health.Ok, string.Join("\n", health.Checks.Select(c => $"{c.Name}: {c.Result} {c.Observed}")));
        string[] required =
        [
            "fake_lane_pass", "provider_timeout_fail_closed", "model_provider_gate_blocks", "local_config_gate_blocks",
            "provider_unavailable_fail_closed", "digest_mismatch_blocks", "agent_protocol_classified",
            "provider_failure_classified", "orphans_reaped", "no_changes_fails", .. RealCaChecks,
        ];
        Assert.Equal(required.Order(), health.Checks.Select(c => c.Name).Order());
        Assert.All(health.Checks, c => Assert.Equal(HealthCheckResult.Passed, c.Result));
        Assert.All(health.Checks.Where(c => c.Result == HealthCheckResult.Passed), c => Assert.True(File.Exists(c.Evidence), c.Name));
    }

    [Fact]
    public void Without_an_admitted_ca_the_real_checks_say_so_and_are_not_passed()
    {
        var health = HealthChecks.Run(FakeLane.Request(_runs.Path), realCa: null, noRealCa: "no admitted ca: the lock 'x' does not exist");

        Assert.True(health.Ok);
        Assert.All(health.Checks.Where(c => RealCaChecks.Contains(c.Name)), c =>
        {
            Assert.Equal(HealthCheckResult.NotRun, c.Result);
            Assert.Contains("no admitted ca", c.Observed);
        });
    }

    [Fact]
    public void A_check_fails_when_the_harness_does_not_end_as_expected()
    {
        // A provider that is unavailable for every check: the pass and classification checks must fail.
        var template = FakeLane.Request(_runs.Path);
        var broken = CtoHarness.Admission.LockVariants.Write(template.Launch.LockFile, _runs.Combine("broken.lock.json"),
            l => l.Binary.StorePath = _runs.Combine("missing.dll"));
        template = template with { Launch = template.Launch with { LockFile = broken } };

        var health = HealthChecks.Run(template);

        Assert.False(health.Ok);
        Assert.Equal(HealthCheckResult.Failed, health.Checks.Single(c => c.Name == "fake_lane_pass").Result);
        Assert.Equal(HealthCheckResult.Passed, health.Checks.Single(c => c.Name == "provider_unavailable_fail_closed").Result);
    }
}
