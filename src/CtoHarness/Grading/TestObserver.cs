using System.Text.Json;
using System.Text.RegularExpressions;

namespace CtoHarness.Grading;

/// <summary>What the harness's observer saw of a Python test run: each outcome as unittest decided it, and how the run ended.</summary>
public sealed record ObservedRun(IReadOnlyList<ReportedResult> Results, int? ExitCode)
{
    /// <summary>The framework's result methods the observer found rebound after the tests ran, with where the new ones come from.</summary>
    public IReadOnlyList<string> Tampering { get; init; } = [];
}

/// <summary>
/// Runs a Python test command under the harness's observer (observe_unittest.py, passed inline with <c>-c</c>,
/// so no file of it exists for the code under test to change), which records unittest's own outcomes to a file
/// outside the workspace. Commands that are not <c>python… [options] (-m module | script.py) …</c> run as they are.
/// </summary>
public static partial class TestObserver
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(TestObserver).Assembly.GetManifestResourceStream("CtoHarness.Grading.observe_unittest.py")
            ?? throw new InvalidOperationException("the test observer script is missing from the harness assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    [GeneratedRegex(@"^python(\d+(\.\d+)*)?(\.exe)?$")]
    private static partial Regex PythonName();

    /// <summary>Options of the interpreter that take the next argument as their value.</summary>
    private static readonly string[] OptionsWithValue = ["-W", "-X", "--check-hash-based-pycs"];

    /// <summary>The command to run instead, or null when the command is not one the observer can wrap.</summary>
    /// <param name="testFiles">The fixture's own test files (absolute): the only place a result class of its own may be defined.</param>
    public static IReadOnlyList<string>? Wrap(IReadOnlyList<string> command, string resultsPath, IEnumerable<string> testFiles)
    {
        if (command.Count < 2 || !PythonName().IsMatch(Path.GetFileName(command[0])))
        {
            return null;
        }
        var i = 1;
        while (i < command.Count && command[i].StartsWith('-') && command[i] != "-m")
        {
            if (command[i] is "-c" or "-" || command[i].StartsWith("-m", StringComparison.Ordinal))
            {
                return null; // inline code, stdin, or "-mmodule": nothing to hand over
            }
            i += OptionsWithValue.Contains(command[i]) ? 2 : 1;
        }
        if (i >= command.Count || (command[i] == "-m" && i + 1 >= command.Count))
        {
            return null;
        }
        return [.. command.Take(i), "-c", Script.Value, resultsPath, JsonSerializer.Serialize(testFiles), .. command.Skip(i)];
    }

    /// <summary>The observer's record, or null when it wrote none (the command never reached the observer).</summary>
    public static ObservedRun? Read(string resultsPath)
    {
        if (!File.Exists(resultsPath))
        {
            return null;
        }
        var results = new List<ReportedResult>();
        var tampering = new List<string>();
        int? exitCode = null;
        foreach (var line in File.ReadLines(resultsPath))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("tampered", out var finding) && finding.GetString() is { } text)
                {
                    tampering.Add(text);
                }
                else if (root.TryGetProperty("end", out _) && root.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var value))
                {
                    exitCode = value;
                }
                else if (root.TryGetProperty("id", out var id) && root.TryGetProperty("outcome", out var outcome) &&
                         id.GetString() is { } testId && outcome.GetString() is { } testOutcome)
                {
                    results.Add(new ReportedResult(testId, testOutcome));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                results.Add(new ReportedResult("(observer record)", $"unreadable line: {line[..Math.Min(line.Length, 200)]}"));
            }
        }
        return new ObservedRun(results, exitCode) { Tampering = tampering };
    }
}
