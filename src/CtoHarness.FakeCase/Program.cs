using CtoHarness.Fake;
using CtoHarness.FakeCase;

// The fake `ca`: `ca run --task <file> --mode unattended`, behaving as docs/case-contract.md describes.
try
{
    var (taskFile, mode) = ParseArguments(args);
    if (mode != "unattended")
    {
        throw new CaseFatalException($"Invalid mode: {mode} (expected unattended)");
    }
    var scenario = Environment.GetEnvironmentVariable(FakeScenario.Variable) is { Length: > 0 } s ? s : FakeScenario.Fix;
    if (!FakeScenario.All.Contains(scenario))
    {
        throw new CaseFatalException($"Unknown fake scenario: {scenario}");
    }
    return new FakePipeline(CaseSetup.Load(Path.GetFullPath(taskFile)), scenario).Run();
}
catch (CaseFatalException e)
{
    Console.Error.WriteLine($"Fatal: {e.Message}");
    return 1;
}

static (string TaskFile, string Mode) ParseArguments(string[] args)
{
    if (args.Length == 0 || args[0] != "run")
    {
        throw new CaseFatalException($"Unknown command: {(args.Length == 0 ? "(none)" : args[0])}. Usage: ca run --task <file> --mode unattended");
    }
    string? task = null;
    var mode = "attended";
    for (var i = 1; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--task" when i + 1 < args.Length:
                task = args[++i];
                break;
            case "--mode" when i + 1 < args.Length:
                mode = args[++i];
                break;
            default:
                throw new CaseFatalException($"Unknown option: {args[i]}");
        }
    }
    return (task ?? throw new CaseFatalException("Missing required option: --task"), mode);
}
