using System.Diagnostics;
using System.Net;
using System.Reflection;
using CtoHarness.Configuration;
using CtoHarness.Contracts;
using CtoHarness.Fake;
using CtoHarness.Lanes;
using CtoHarness.Processes;
using CtoHarness.Settings;
using CtoHarness.Stage2;

// Benchmarks of the harness itself (not of MSBuild): each prints one Markdown table row.
//   timeout-detached [runs]  hang with a detached grandchild holding stdout, 3 s bound: wall time, survivors
//   flood [bytes]            the provider prints this much: harness peak memory (VmHWM) and wall time
//   sha256 [MiB] [runs]      streaming SHA-256 of the admission path against sha256sum on the same file
//   overhead [runs]          one fake-lane run: wall time minus the provider's and the test runs' process time
//   real [runs]              the real `ca` on the case-scripted lane against the fake lane, alternating in one run:
//                            whole run, Case's own time, the harness's share, run directory size (needs the lock
//                            that build/real-case.sh prints, in CTOHARNESS_REAL_CA_LOCK; bench.sh sets it)
//   relay [calls]            per-call latency the relay adds on loopback against the scripted model: first and last byte
//   relay-flood [MiB]        a streamed answer of this size through the relay: peak memory (VmHWM) and throughput
//   page [writes]            time to write report.html for a case-scripted run
//   parallel [rounds]        8 fixtures on the fake lane with MaxParallel 2 against 1, alternating, medians
//   attempts [rounds]        10 attempts of r1 on the fake lane (policy all), MaxParallel 2 against 1, alternating, medians;
//                            and the harness's added time per attempt (wall minus provider and test processes)
//   csharp [runs]            r3-dotnet-money on the fake lane against a warm `dotnet test` of the same fixed project,
//                            alternating: the first run from an empty package cache and no recorded baseline, then runs
//                            that reuse both (not part of "all": it needs the NuGet feed for its first run)
//   sandbox [runs]           the sandbox's added time per run: with and without it, alternating, on the fake lane and
//                            with the real `ca` (case-scripted); needs CTOHARNESS_REAL_CA_LOCK like `real`
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

if (command is "overhead" or "all")
{
    var count = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 7;
    var overheads = new List<double>();
    var totals = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var report = Stage2Runner.Run(Request(FakeScenario.Fix, timeoutSeconds: 120)).Report;
        var processes = report.Backend.DurationMs + (report.Tests.Baseline?.DurationMs ?? 0) + (report.Tests.Final?.DurationMs ?? 0);
        overheads.Add(report.DurationMs - processes);
        totals.Add(report.DurationMs);
    }
    overheads.Sort();
    totals.Sort();
    Console.WriteLine($"| harness overhead of one fake-lane run (wall minus provider and test processes) | median {overheads[count / 2]:F0} ms (whole run median {totals[count / 2]:F0} ms) over {count} runs | target: <= 300 ms |");
}

if (command is "parallel" or "all")
{
    var rounds = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 5;
    var fixtures = EightFixtures();
    double RunAll(int parallel)
    {
        var clock = Stopwatch.StartNew();
        var outcome = Stage2Batch.Run(fixtures.Select(f => Request(FakeScenario.Fix, 120, f)).ToList(), new BatchOptions { MaxParallel = parallel });
        if (outcome.Summary.Totals.Passed != fixtures.Count)
        {
            throw new InvalidOperationException($"only {outcome.Summary.Totals.Passed} of {fixtures.Count} passed");
        }
        return clock.Elapsed.TotalSeconds;
    }
    RunAll(2); // warm-up: JIT and file caches, not measured
    var sequential = new List<double>();
    var parallel = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        sequential.Add(RunAll(1));
        parallel.Add(RunAll(2));
    }
    sequential.Sort();
    parallel.Sort();
    var (one, two) = (sequential[rounds / 2], parallel[rounds / 2]);
    Console.WriteLine($"| 8 fixtures on the fake lane, MaxParallel 2 vs 1 | median {two:F2} s vs {one:F2} s over {rounds} alternating rounds, ratio {two / one:F2} | target: ratio <= 0.6 |");
}

if (command is "attempts" or "all")
{
    var rounds = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 3;
    var overheads = new List<double>();
    double RunAttempts(int parallel)
    {
        var clock = Stopwatch.StartNew();
        var outcome = Stage2Batch.Run([Request(FakeScenario.Fix, 120)], new BatchOptions { MaxParallel = parallel, Attempts = 10 });
        if (outcome.Summary.Totals.Passed != 10)
        {
            throw new InvalidOperationException($"only {outcome.Summary.Totals.Passed} of 10 attempts passed");
        }
        overheads.AddRange(outcome.Results.Select(r => (double)(r.Report.DurationMs - r.Report.Backend.DurationMs -
            (r.Report.Tests.Baseline?.DurationMs ?? 0) - (r.Report.Tests.Final?.DurationMs ?? 0))));
        return clock.Elapsed.TotalSeconds;
    }
    RunAttempts(2); // warm-up: JIT and file caches, not measured
    overheads.Clear();
    var sequential = new List<double>();
    var parallel = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        sequential.Add(RunAttempts(1));
        parallel.Add(RunAttempts(2));
    }
    sequential.Sort();
    parallel.Sort();
    overheads.Sort();
    var (one, two) = (sequential[rounds / 2], parallel[rounds / 2]);
    Console.WriteLine($"| 10 attempts of r1 on the fake lane, MaxParallel 2 vs 1 | median {two:F2} s vs {one:F2} s over {rounds} alternating rounds, ratio {two / one:F2}; " +
                      $"harness's added time per attempt (wall minus provider and test processes): median {overheads[overheads.Count / 2]:F0} ms, p90 {overheads[(int)(overheads.Count * 0.9)]:F0} ms over {overheads.Count} attempts | target: ratio <= 0.6 |");
}

if (command is "real" or "all")
{
    var count = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 7;
    var lockFile = Environment.GetEnvironmentVariable("CTOHARNESS_REAL_CA_LOCK") ?? throw new InvalidOperationException("CTOHARNESS_REAL_CA_LOCK is not set (bash build/bench.sh sets it)");
    var fake = new List<(double Whole, double Share, double Provider, long Bytes)>();
    var real = new List<(double Whole, double Share, double Provider, long Bytes)>();
    (double, double, double, long) Measure(Stage2Request request)
    {
        var result = Stage2Runner.Run(request);
        var report = result.Report;
        if (report.Status != CtoHarness.Contracts.RunStatus.Pass)
        {
            throw new InvalidOperationException($"{report.Lane}: {report.FailureReason}: {report.Message}");
        }
        var processes = report.Backend.DurationMs + (report.Tests.Baseline?.DurationMs ?? 0) + (report.Tests.Final?.DurationMs ?? 0);
        var bytes = Directory.EnumerateFiles(report.RunDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) - report.Changes.PatchBytes;
        return (report.DurationMs, report.DurationMs - processes, report.Backend.DurationMs, bytes);
    }
    var replay = new List<(double Whole, double Share, double Provider, long Bytes)>();
    Measure(Request(FakeScenario.Fix, 120));
    Measure(ScriptedRequest(lockFile));
    Measure(ScriptedRequest(lockFile, ReplayLane.Id));
    for (var i = 0; i < count; i++)
    {
        fake.Add(Measure(Request(FakeScenario.Fix, 120)));
        real.Add(Measure(ScriptedRequest(lockFile)));
        replay.Add(Measure(ScriptedRequest(lockFile, ReplayLane.Id)));
    }
    double Median(IEnumerable<double> values) => values.Order().ElementAt(count / 2);
    Console.WriteLine($"| one r1 run, real `ca` against the scripted model (case-scripted) vs the fake lane, alternating | " +
                      $"whole run median {Median(real.Select(r => r.Whole)):F0} ms vs {Median(fake.Select(r => r.Whole)):F0} ms; Case itself {Median(real.Select(r => r.Provider)):F0} ms; " +
                      $"harness share median {Median(real.Select(r => r.Share)):F0} ms vs {Median(fake.Select(r => r.Share)):F0} ms; run directory besides the change {real.Max(r => r.Bytes) / 1024} KiB (max) over {count} runs each | target: share <= 100 ms, directory <= 1 MB |");
    Console.WriteLine($"| one r1 run, real `ca` replaying the shipped cassette (case-replay) vs the scripted model (case-scripted), alternating | " +
                      $"whole run median {Median(replay.Select(r => r.Whole)):F0} ms vs {Median(real.Select(r => r.Whole)):F0} ms; Case itself {Median(replay.Select(r => r.Provider)):F0} ms vs {Median(real.Select(r => r.Provider)):F0} ms over {count} runs each | — |");
}

if (command is "sandbox" or "all")
{
    var count = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 9;
    var lockFile = Environment.GetEnvironmentVariable("CTOHARNESS_REAL_CA_LOCK") ?? throw new InvalidOperationException("CTOHARNESS_REAL_CA_LOCK is not set (bash build/bench.sh sets it)");
    double Whole(Stage2Request request, bool sandboxed)
    {
        var report = Stage2Runner.Run(request with { SandboxTool = sandboxed ? null : "none", RequireSandbox = sandboxed }).Report;
        if (report.Status != CtoHarness.Contracts.RunStatus.Pass || (report.Sandbox.Kind == "bubblewrap") != sandboxed)
        {
            throw new InvalidOperationException($"{report.Lane}: {report.FailureReason}: {report.Message} (sandbox {report.Sandbox.Kind})");
        }
        return report.DurationMs;
    }
    string Row(string name, Stage2Request request)
    {
        Whole(request, true);
        Whole(request, false);
        var with = new List<double>();
        var without = new List<double>();
        for (var i = 0; i < count; i++)
        {
            with.Add(Whole(request, true));
            without.Add(Whole(request, false));
        }
        var added = with.Zip(without, (a, b) => a - b).Order().ElementAt(count / 2);
        return $"{name}: whole run median {with.Order().ElementAt(count / 2):F0} ms with the sandbox vs {without.Order().ElementAt(count / 2):F0} ms without, median added {added:F0} ms";
    }
    // One program alone (/bin/true below the supervisor), with and without the sandbox: what the sandbox adds to each.
    Directory.CreateDirectory(runs);
    var sandbox = CtoHarness.Sandbox.Bubblewrap.Find(null, "/usr/bin/python3", CtoHarness.Sandbox.SandboxLimits.Default, ["/tmp", runs], out var why)
        ?? throw new InvalidOperationException($"no sandbox: {why}");
    var workspace = Path.Combine(runs, "program");
    Directory.CreateDirectory(workspace);
    double Program(bool sandboxed)
    {
        var spec = new ProcessSpec("/bin/true", [], workspace, AllowedEnvironment.FromCurrentProcess(), Path.Combine(runs, "true.stdout.log"), Path.Combine(runs, "true.stderr.log"))
        {
            Sandbox = sandboxed ? new SandboxedBy(sandbox with { Interpreter = RunSupervisorPython() }, new CtoHarness.Sandbox.SandboxPolicy("bench", [workspace], [], CtoHarness.Sandbox.SandboxNetwork.None)) : null,
        };
        var clock = Stopwatch.StartNew();
        var result = SupervisedProcess.Run(spec, new RunProcessReaper(Guid.NewGuid().ToString("N")), CancellationToken.None);
        if (result.ExitCode != 0 || (result.Sandbox is not null) != sandboxed)
        {
            throw new InvalidOperationException($"/bin/true: exit {result.ExitCode}, start error {result.StartError}");
        }
        return clock.Elapsed.TotalMilliseconds;
    }
    var programWith = new List<double>();
    var programWithout = new List<double>();
    for (var i = 0; i < 3 * count; i++)
    {
        programWith.Add(Program(true));
        programWithout.Add(Program(false));
    }
    Console.WriteLine($"| one program (`/bin/true` below the run supervisor) with and without the sandbox, alternating, {3 * count} pairs | " +
                      $"median {programWith.Order().ElementAt(programWith.Count / 2):F1} ms vs {programWithout.Order().ElementAt(programWithout.Count / 2):F1} ms: " +
                      $"added {programWith.Order().ElementAt(programWith.Count / 2) - programWithout.Order().ElementAt(programWithout.Count / 2):F1} ms per program, three programs per run | target: <= 50 ms per run |");
    Console.WriteLine($"| the sandbox's added time per run (three programs: baseline tests, provider, final tests), alternating, {count} pairs each | " +
                      $"{Row("fake lane", Request(FakeScenario.Fix, 120))}; {Row("real `ca` (case-scripted)", ScriptedRequest(lockFile))} | target: <= 50 ms |");
}

if (command is "relay" or "all")
{
    var calls = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 200;
    Directory.CreateDirectory(runs);
    using var scripted = CtoHarness.ScriptedModel.ScriptedModelServer.Start(
        CtoHarness.Fixtures.FixtureLoader.Load(Metadata("CtoHarnessSlugifyFixture")), "solve", Path.Combine(runs, "scripted"));
    using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
    // One streamed request per API style, each as Case sends it: the path, and where the agent's prompt is.
    var styles = new (string Api, string Upstream, string Path, string Body)[]
    {
        ("openai-completions", scripted.BaseUrl, "/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"# Implementer\"},{\"role\":\"user\",\"content\":\"go\"}]}"),
        ("openai-responses", scripted.BaseUrl, "/responses", "{\"model\":\"m\",\"stream\":true,\"input\":[{\"role\":\"developer\",\"content\":\"# Implementer\"},{\"role\":\"user\",\"content\":\"go\"}]}"),
        ("anthropic-messages", scripted.Origin, "/v1/messages", "{\"model\":\"m\",\"stream\":true,\"system\":\"# Implementer\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"),
    };
    foreach (var (api, upstream, path, body) in styles)
    {
        using var relay = CtoHarness.Relay.ModelRelay.Start(new CtoHarness.Relay.RelayOptions(new Uri(upstream), Path.Combine(runs, $"model-{api}")));
        (double First, double Last) Call(string baseUrl)
        {
            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}{path}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            using var stream = response.Content.ReadAsStream();
            var buffer = new byte[16 * 1024];
            double? first = null;
            while (stream.Read(buffer, 0, buffer.Length) > 0)
            {
                first ??= clock.Elapsed.TotalMilliseconds;
            }
            return (first ?? clock.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
        }
        for (var i = 0; i < 20; i++)
        {
            Call(upstream);
            Call(relay.BaseUrl);
        }
        var addedFirst = new List<double>();
        var addedLast = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var direct = Call(upstream);
            var relayed = Call(relay.BaseUrl);
            addedFirst.Add(relayed.First - direct.First);
            addedLast.Add(relayed.Last - direct.Last);
        }
        addedFirst.Sort();
        addedLast.Sort();
        double P(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine($"| relay overhead per call on loopback against the scripted model ({api}, streamed) | added to first byte: median {P(addedFirst, 0.5):F2} ms, p99 {P(addedFirst, 0.99):F2} ms; " +
                          $"to last byte: median {P(addedLast, 0.5):F2} ms, p99 {P(addedLast, 0.99):F2} ms over {calls} alternating pairs of calls | target: median <= 1 ms added |");
    }
}

if (command is "relay-flood" or "all")
{
    var mebibytes = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 256;
    Directory.CreateDirectory(runs);
    // An upstream that streams that many MiB of server-sent events, made here so that the relay's memory is what grows.
    var port = CtoHarness.Loopback.LoopbackPort.Free();
    using var upstream = new HttpListener();
    upstream.Prefixes.Add($"http://127.0.0.1:{port}/");
    upstream.Start();
    var server = new Thread(() =>
    {
        var context = upstream.GetContext();
        context.Request.InputStream.CopyTo(Stream.Null);
        context.Response.ContentType = "text/event-stream";
        context.Response.SendChunked = true;
        var chunk = System.Text.Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('x', 16 * 1024 - 64) + "\"}}]}\n\n");
        long sent = 0;
        while (sent < mebibytes * 1024L * 1024)
        {
            context.Response.OutputStream.Write(chunk);
            sent += chunk.Length;
        }
        context.Response.OutputStream.Write(System.Text.Encoding.UTF8.GetBytes("data: [DONE]\n\n"));
        context.Response.Close();
    }) { IsBackground = true };
    server.Start();
    using var relay = CtoHarness.Relay.ModelRelay.Start(new CtoHarness.Relay.RelayOptions(new Uri($"http://127.0.0.1:{port}/v1"), Path.Combine(runs, "flood-model")));
    using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    var clock = Stopwatch.StartNew();
    using var request = new HttpRequestMessage(HttpMethod.Post, $"{relay.BaseUrl}/chat/completions")
    {
        Content = new StringContent("{\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"# Implementer\"}]}", System.Text.Encoding.UTF8, "application/json"),
    };
    using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
    using var stream = response.Content.ReadAsStream();
    var buffer = new byte[64 * 1024];
    long received = 0;
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
    {
        received += read;
    }
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"| a {mebibytes} MiB streamed answer through the relay | harness peak RSS {PeakResidentMegabytes():F0} MB; {received} bytes in {seconds:F1} s ({received / 1048576.0 / seconds:F0} MiB/s); 1 MiB of the body kept as evidence | target: under 150 MB |");
}

if (command is "page" or "all")
{
    var count = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 21;
    var lockFile = Environment.GetEnvironmentVariable("CTOHARNESS_REAL_CA_LOCK") ?? throw new InvalidOperationException("CTOHARNESS_REAL_CA_LOCK is not set (bash build/bench.sh sets it)");
    var report = Stage2Runner.Run(ScriptedRequest(lockFile)).Report;
    var samples = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        CtoHarness.Pages.RunPage.Write(report, report.RunDirectory);
        samples.Add(clock.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    var bytes = new FileInfo(Path.Combine(report.RunDirectory, CtoHarness.Pages.RunPage.FileName)).Length;
    Console.WriteLine($"| writing report.html for a case-scripted r1 run (9 model calls, transcript, diff, tests, manifest) | median {samples[count / 2]:F1} ms, max {samples[^1]:F1} ms over {count} writes; page {bytes / 1024} KiB | target: < 50 ms |");
}

if (command is "sha256" or "all")
{
    var mebibytes = args.Length > 1 && command != "all" ? int.Parse(args[1]) : 256;
    var count = args.Length > 2 && command != "all" ? int.Parse(args[2]) : 5;
    Directory.CreateDirectory(runs);
    var file = Path.Combine(runs, "blob.bin");
    using (var stream = File.Create(file))
    {
        var chunk = new byte[1 << 20];
        for (var i = 0; i < mebibytes; i++)
        {
            Random.Shared.NextBytes(chunk);
            stream.Write(chunk);
        }
    }
    string Ours() => CtoHarness.Evidence.Sha256.OfFile(file);
    string Theirs()
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [file]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0];
    }
    if (Ours() != Theirs())
    {
        throw new InvalidOperationException("the digests differ");
    }
    var ratios = new List<double>();
    var ours = new List<double>();
    var theirs = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var a = Stopwatch.StartNew();
        Ours();
        var oursSeconds = a.Elapsed.TotalSeconds;
        var b = Stopwatch.StartNew();
        Theirs();
        var theirsSeconds = b.Elapsed.TotalSeconds;
        ours.Add(oursSeconds);
        theirs.Add(theirsSeconds);
        ratios.Add(oursSeconds / theirsSeconds);
    }
    ratios.Sort();
    ours.Sort();
    theirs.Sort();
    Console.WriteLine($"| SHA-256 of a {mebibytes} MiB file (page cache warm) | CtoHarness median {ours[count / 2]:F3} s, sha256sum median {theirs[count / 2]:F3} s, median ratio {ratios[count / 2]:F2} over {count} runs | target: ratio <= 1.10 |");
}

if (command is "csharp")
{
    var count = args.Length > 1 ? int.Parse(args[1]) : 5;
    var fixture = Path.Combine(Path.GetDirectoryName(Metadata("CtoHarnessSlugifyFixture"))!, "r3-dotnet-money");
    var state = Path.Combine(runs, "state");
    Stage2Request CSharpRequest() => Request(FakeScenario.Fix, 600, fixture) with
    {
        PackageCacheDirectory = Path.Combine(state, "package-cache"),
        BaselineRecordsDirectory = Path.Combine(state, "baselines"),
    };
    // The same fixed project as a developer has it: restored and built once, then `dotnet test` with nothing to do.
    var project = Path.Combine(runs, "fixed");
    CopyTree(Path.Combine(fixture, "repo"), project);
    Run("git", ["apply", Path.Combine(fixture, "solution.patch")], project);
    var warmUp = DotnetTest(project);
    var first = Stage2Runner.Run(CSharpRequest()).Report;
    var (warm, later) = (new List<double>(), new List<Stage2Report>());
    for (var i = 0; i < count; i++)
    {
        warm.Add(DotnetTest(project));
        later.Add(Stage2Runner.Run(CSharpRequest()).Report);
    }
    if (later.Append(first).FirstOrDefault(r => r.Status != RunStatus.Pass) is { } failed)
    {
        throw new InvalidOperationException($"a run ended {failed.Status}: {failed.Message}");
    }
    var runMs = later.Select(r => (double)r.DurationMs).Order().ToList();
    var finalMs = later.Select(r => (double)r.Tests.Final!.DurationMs).Order().ToList();
    var reused = later.Count(r => r.Tests.Baseline?.Reused is not null);
    warm.Sort();
    Console.WriteLine($"| r3-dotnet-money on the fake lane vs a warm `dotnet test` of the same fixed project, alternating | first run {first.DurationMs / 1000.0:F1} s " +
        $"(baseline {first.Tests.Baseline!.DurationMs / 1000.0:F1} s, restoring from the feed; final {first.Tests.Final!.DurationMs / 1000.0:F1} s); later runs median {runMs[count / 2] / 1000.0:F1} s " +
        $"({reused} of {count} reused the baseline; final tests median {finalMs[count / 2] / 1000.0:F1} s), warm `dotnet test` median {warm[count / 2] / 1000.0:F2} s " +
        $"(first build {warmUp / 1000.0:F1} s): **ratio {runMs[count / 2] / warm[count / 2]:F2}** over {count} pairs | run <= 2x a warm `dotnet test` |");
    if (!OperatingSystem.IsWindows())
    {
        foreach (var folder in Directory.EnumerateDirectories(state, "*", SearchOption.AllDirectories).Append(state))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

Directory.Delete(runs, recursive: true);

// The interpreter the run supervisor uses (the real one behind python3 on PATH), which also runs the sandbox's init.
string RunSupervisorPython() =>
    (string)typeof(RunProcessReaper).Assembly.GetType("CtoHarness.Processes.RunSupervisor")!.GetProperty("Interpreter")!.GetValue(null)!;

Stage2Request Request(string scenario, int timeoutSeconds, string? fixture = null)
{
    var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
    {
        Fixtures = [fixture ?? Metadata("CtoHarnessSlugifyFixture")],
        Lane = FakeProviderLane.Id,
        RunsDirectory = runs,
        TimeoutSeconds = timeoutSeconds.ToString(),
        FakeScenario = scenario,
        FakeProviderAssembly = Metadata("CtoHarnessFakeProviderAssembly"),
        ReuseBaseline = "false", // the rows measure whole runs; the csharp row turns reuse on for itself
    });
    return errors.Count == 0 ? requests[0] : throw new InvalidOperationException(errors[0].Message);
}

Stage2Request ScriptedRequest(string lockFile, string lane = ScriptedModelLane.Id)
{
    var (requests, errors) = Stage2Planner.Plan(new Stage2Settings
    {
        Fixtures = [Metadata("CtoHarnessSlugifyFixture")],
        Lane = lane,
        RunsDirectory = runs,
        TimeoutSeconds = "120",
        CaseLockFile = lockFile,
        CaseLockFileIsExplicit = true,
        ReuseBaseline = "false",
    });
    return errors.Count == 0 ? requests[0] : throw new InvalidOperationException(errors[0].Message);
}

// Four copies of each built-in fixture under their own ids.
List<string> EightFixtures()
{
    var root = Path.Combine(runs, "fixtures");
    var builtIn = Path.GetDirectoryName(Metadata("CtoHarnessSlugifyFixture"))!;
    var copies = new List<string>();
    foreach (var name in new[] { "r1-string-slugify", "r2-interval-merge" })
    {
        for (var i = 1; i <= 4; i++)
        {
            var copy = Path.Combine(root, $"{name}-{i}");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(builtIn, name), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(Path.Combine(builtIn, name), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var manifest = Path.Combine(copy, "fixture.json");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"id\": \"{name}\"", $"\"id\": \"{name}-{i}\""));
            copies.Add(copy);
        }
    }
    return copies;
}

static void CopyTree(string source, string destination)
{
    foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(destination, Path.GetRelativePath(source, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}

// Wall milliseconds of a program that must succeed.
static double Run(string program, IReadOnlyList<string> arguments, string directory)
{
    var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    return process.ExitCode == 0 ? clock.Elapsed.TotalMilliseconds
        : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {output.Result}{errors.Result}");
}

static double DotnetTest(string project) => Run("dotnet", ["test", "Money.Tests/Money.Tests.csproj"], project);

static string Metadata(string key) =>
    Path.GetFullPath(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);

static double PeakResidentMegabytes()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
}
