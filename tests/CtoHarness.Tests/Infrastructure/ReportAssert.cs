using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;
using CtoHarness.Stage2;
using NJsonSchema;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>Every report a test produces goes through here: it must validate against the checked-in schema.</summary>
public static class ReportAssert
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFileAsync(TestPaths.ReportSchema).GetAwaiter().GetResult());

    public static Stage2Report Valid(string reportPath)
    {
        Assert.True(File.Exists(reportPath), $"no report at {reportPath}");
        var json = File.ReadAllText(reportPath);
        var errors = Schema.Value.Validate(json);
        Assert.True(errors.Count == 0, $"{reportPath} does not match docs/report.schema.json: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
        return JsonSerializer.Deserialize<Stage2Report>(json, JsonFiles.Options)!;
    }

    public static Stage2Report Ended(Stage2Result result, FailureKind kind)
    {
        var report = Valid(result.ReportPath);
        Assert.Equal(kind.Status, report.Status);
        Assert.Equal(kind.Reason, report.FailureReason);
        Assert.Equal(kind.Code, report.ErrorCode);
        if (kind.Marker is not null)
        {
            var marker = Path.Combine(report.RunDirectory, kind.Marker);
            Assert.True(File.Exists(marker), $"marker {kind.Marker} is missing");
            Assert.Equal(marker, result.EvidencePath);
            Assert.Contains(kind.Marker, report.Markers);
        }
        else
        {
            Assert.Equal(result.ReportPath, result.EvidencePath);
        }
        return report;
    }
}
