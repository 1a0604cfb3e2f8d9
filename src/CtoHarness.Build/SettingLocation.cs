using System.Text.RegularExpressions;

namespace CtoHarness.Build;

/// <summary>
/// Where a CtoHarness setting is written, so that a configuration error points at the line a user edits (an IDE jumps
/// there, a CI problem matcher annotates it) rather than into the package's targets: the first line of the project
/// or its Directory.Build files that sets the property (<c>&lt;CtoHarnessX&gt;</c>) or adds the item
/// (<c>&lt;CtoHarnessX Include</c>); line 1 of the project when none does (the value came from the command line,
/// the environment or a default).
/// </summary>
internal static partial class SettingLocation
{
    [GeneratedRegex(@"\bCtoHarness[A-Z][A-Za-z]+")]
    private static partial Regex SettingName();

    public static (string File, int Line)? Of(string message, IReadOnlyList<string> settingFiles)
    {
        var files = settingFiles.Where(f => f.Length > 0 && File.Exists(f)).Distinct().ToList();
        if (files.Count == 0)
        {
            return null;
        }
        if (SettingName().Match(message) is { Success: true } name)
        {
            var element = new Regex($@"<{name.Value}[\s>/]");
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (element.IsMatch(lines[i]))
                    {
                        return (file, i + 1);
                    }
                }
            }
        }
        return (files[0], 1);
    }
}
