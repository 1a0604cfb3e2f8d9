using System.Diagnostics;
using System.Reflection;
using CtoHarness.Configuration;
using CtoHarness.Fake;
using CtoHarness.Processes;
using CtoHarness.Stage2;

// Benchmarks of the harness itself (not of MSBuild): each prints one Markdown table row.
//   timeout-detached [runs]  hang with a detached grandchild holding stdout, 3 s bound: wall time, survivors
//   flood [bytes]            the provider prints this much: harness peak memory (VmHWM) and wall time
var command = args.Length > 0 ? args[0] : "all";
var runs = Path.Combine(Path.GetTempPath(), "ctoharness-bench", Guid.NewGuid().ToString("N")[..8]);

if (command is "timeout-detached" or "all")
{
    var count = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 5;
    var samples = new List<double>();
    var survivors = 0;
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        var result = Stage2Runner.Run(Request(FakeScenario.HangWithDetachedChild, timeoutSeconds: 3));
        samples.Add(clock.Elapsed.TotalSeconds);
        survivors += new RunProcessReaper(result.Report.Backend.ProcessMarker!).FindLiving().Count;
        if (result.Report.FailureReason != "provider timeout")
        {
            throw new InvalidOperationException($"unexpected outcome {result.Report.FailureReason}");
        }
    }
    samples.Sort();
    Console.WriteLine($"| timeout 3 s, detached grandchild holding stdout | median {samples[count / 2]:F2} s, max {samples[^1]:F2} s over {count} runs | {survivors} survivors | target: within 5 s, 0 survivors |");
}

if (command is "flood" or "all")
{
    var bytes = args.Length > 1 && command != "all" ? long.Parse(args[1]) : 1L << 30;
    Environment.SetEnvironmentVariable(FakeScenario.FloodBytesVariable, bytes.ToString());
    var clock = Stopwatch.StartNew();
    var result = Stage2Runner.Run(Request(FakeScenario.Flood, timeoutSeconds: 900));
    var peakMb = PeakResidentMegabytes();
    Console.WriteLine($"| provider prints {bytes / (1 << 20)} MiB | harness peak RSS {peakMb:F0} MB, {clock.Elapsed.TotalSeconds:F1} s, {result.Report.Backend.StdoutBytes} bytes read, {(result.Report.Backend.StdoutTruncated ? "log capped" : "log whole")}, status {result.Report.Status.ToString().ToLowerInvariant()} | target: under 300 MB |");
}

Directory.Delete(runs, recursive: true);

Stage2Request Request(string scenario, int timeoutSeconds)
{
    var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
    {
        Fixtures = [Metadata("CtoHarnessSlugifyFixture")],
        Lane = Stage2Planner.FakeLane,
        RunsDirectory = runs,
        TimeoutSeconds = timeoutSeconds.ToString(),
        FakeScenario = scenario,
        FakeProviderAssembly = Metadata("CtoHarnessFakeProviderAssembly"),
    });
    return errors.Count == 0 ? requests[0] : throw new InvalidOperationException(errors[0].Message);
}

static string Metadata(string key) =>
    Path.GetFullPath(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);

static double PeakResidentMegabytes()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
}
