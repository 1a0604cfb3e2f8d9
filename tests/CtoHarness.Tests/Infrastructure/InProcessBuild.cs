using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// Builds a small consumer project in-process with the SDK's MSBuild, importing the package's *source*
/// props/targets, with the tasks assembly pointed at this repository's build output.
/// </summary>
public static class InProcessBuild
{
    public sealed record Outcome(bool Succeeded, IReadOnlyList<BuildErrorEventArgs> Errors, IReadOnlyList<string> Messages, IReadOnlyList<string> RunReports)
    {
        public IReadOnlyList<BuildWarningEventArgs> Warnings { get; init; } = [];
    }

    /// <summary>Writes the consumer in its own folder under <paramref name="directory"/>, so that runs can go beside it.</summary>
    public static string WriteConsumer(string directory, string extraBody = "")
    {
        Directory.CreateDirectory(Path.Combine(directory, "consumer"));
        var project = Path.Combine(directory, "consumer", "Consumer.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{Path.Combine(TestPaths.BuildDirectory, "CtoHarness.Build.props")}" />
              {extraBody}
              <Import Project="{Path.Combine(TestPaths.BuildDirectory, "CtoHarness.Build.targets")}" />
            </Project>
            """);
        return project;
    }

    public static Outcome Build(string projectPath, string target, IDictionary<string, string> properties)
    {
        var globals = new Dictionary<string, string?>(properties.ToDictionary(p => p.Key, p => (string?)p.Value));
        globals.TryAdd("CtoHarnessTasksAssembly", TestPaths.TasksAssembly);
        var logger = new CollectingLogger();
        using var collection = new ProjectCollection();
        var parameters = new BuildParameters(collection) { Loggers = [logger], DisableInProcNode = false, EnableNodeReuse = false, MaxNodeCount = 1 };
        var request = new BuildRequestData(projectPath, globals, null, [target], null);
        using var manager = new BuildManager();
        // MSBuild's in-process node moves the process into the project's folder: a temporary one the test then
        // deletes, which every process started later by any test would inherit as a working directory that is gone.
        // The working directory is the whole process's and other tests build at the same time: after each build it
        // goes back to a folder that always exists.
        BuildResult result;
        try
        {
            result = manager.Build(parameters, request);
        }
        finally
        {
            Environment.CurrentDirectory = TestPaths.RepoRoot;
        }
        var reports = result.ResultsByTarget.TryGetValue(target, out var targetResult)
            ? targetResult.Items.Select(i => i.ItemSpec).ToList()
            : [];
        return new Outcome(result.OverallResult == BuildResultCode.Success, logger.Errors, logger.Messages, reports) { Warnings = logger.Warnings };
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<string> Messages { get; } = [];
        public List<BuildWarningEventArgs> Warnings { get; } = [];
        public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Normal;
        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource)
        {
            eventSource.ErrorRaised += (_, e) => { lock (Errors) { Errors.Add(e); } };
            eventSource.WarningRaised += (_, e) => { lock (Warnings) { Warnings.Add(e); } };
            eventSource.MessageRaised += (_, e) => { lock (Messages) { Messages.Add(e.Message ?? ""); } };
        }

        public void Shutdown()
        {
        }
    }
}
