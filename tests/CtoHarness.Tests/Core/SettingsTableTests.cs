using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CtoHarness.Contracts;
using CtoHarness.Settings;
using CtoHarness.Tests.Infrastructure;

namespace CtoHarness.Tests.Core;

/// <summary>The settings table is the one place a setting is spelled: the props, the targets, the tasks and the README follow it.</summary>
[Trait("Layer", "Unit")]
public class SettingsTableTests
{
    private static readonly string BuildDirectory = Path.Combine(TestPaths.RepoRoot, "src", "CtoHarness.Build", "build");
    private static readonly XDocument Props = XDocument.Load(Path.Combine(BuildDirectory, "CtoHarness.Build.props"));
    private static readonly XDocument Targets = XDocument.Load(Path.Combine(BuildDirectory, "CtoHarness.Build.targets"));

    /// <summary>The README's configuration table: property names (a row may name two) and the variable column.</summary>
    private static readonly List<(string Property, string? Variable)> ReadmeRows = ReadmeTable();

    public static TheoryData<string> Properties() => [.. SettingsTable.All.Select(s => s.Property)];

    private static Setting Named(string property) => SettingsTable.All.Single(s => s.Property == property);

    private static List<(string, string?)> ReadmeTable()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\nItems:", StringComparison.Ordinal)];
        return Regex.Matches(table, @"^\| (`CtoHarness[^|]*) \| ([^|]*) \|", RegexOptions.Multiline)
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`(CtoHarness\\w+)`").Select(p => (p.Groups[1].Value,
                m.Groups[2].Value.Trim() is "—" ? null : (string?)m.Groups[2].Value.Trim().Trim('`'))))
            .ToList();
    }

    [Fact]
    public void The_readme_documents_exactly_the_settings_of_the_table_with_their_variables()
    {
        Assert.Equal(SettingsTable.All.Select(s => s.Property).Order(), ReadmeRows.Select(r => r.Property).Order());
        Assert.All(ReadmeRows, row => Assert.Equal(Named(row.Property).Variable, row.Variable));
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void The_props_give_each_setting_its_variable_and_its_default(string property)
    {
        var setting = Named(property);
        var definitions = Props.Descendants().Where(e => e.Name.LocalName == property).Select(e => e.Value).ToList();
        if (setting.Variable is { } variable)
        {
            Assert.Contains($"$({variable})", definitions);
        }
        if (setting.Default is { } value)
        {
            Assert.Equal(value, definitions.Last());
        }
        Assert.True(definitions.Count > 0 || setting.Default is null, $"{property} has a default but the props do not set it");
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Each_task_parameter_of_a_setting_exists_and_the_targets_pass_the_setting_to_it(string property)
    {
        var tasks = typeof(CtoHarness.Build.CaseStage2).Assembly;
        foreach (var parameter in Named(property).Parameters)
        {
            var (task, name) = (parameter.Split('.')[0], parameter.Split('.')[1]);
            Assert.NotNull(tasks.GetType($"CtoHarness.Build.{task}")?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance));
            Assert.Contains(Targets.Descendants().Where(e => e.Name.LocalName == task),
                e => (string?)e.Attribute(name) == $"$({property})");
        }
    }

    [Fact]
    public void Every_code_of_a_bad_setting_is_a_registered_error()
    {
        Assert.All(SettingsTable.All.Where(s => s.Code is not null), s => Assert.Equal(DiagnosticSeverity.Error, Diagnostics.Of(s.Code!).Severity));
    }
}
