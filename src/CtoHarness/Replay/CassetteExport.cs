using System.Text;
using System.Text.Json;
using CtoHarness.Contracts;
using CtoHarness.Evidence;

namespace CtoHarness.Replay;

/// <summary>
/// Makes a cassette from a run's relay evidence (report.json, backend/model/exchanges.jsonl and the bodies): every
/// call in order, requests normalized, answers made portable, and every secret masked: the values of the
/// exporting environment's key, token, secret and password variables, and anything shaped like a key.
/// </summary>
public static class CassetteExport
{
    private const string TruncationNote = "[ctoharness] body truncated";

    public static Cassette FromRun(string runDirectory)
    {
        var report = ReadReport(runDirectory);
        if (report.Model.Traffic is not { } traffic)
        {
            throw new CassetteInvalidException($"the run '{runDirectory}' has no relay evidence (model.traffic): only a case-lane run records its model session");
        }
        var exchanges = File.ReadAllLines(Path.Combine(runDirectory, traffic.ExchangesLog))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<ModelExchange>(line, JsonFiles.Options)!)
            // A call's line is written when it ends, and Case may already have sent the next one: calls go in the order made.
            .OrderBy(exchange => exchange.Sequence)
            .ToList();
        var modelDirectory = Path.GetDirectoryName(Path.Combine(runDirectory, traffic.ExchangesLog))!;
        var values = new RunValues(report.RunDirectory, report.RunId);
        var secrets = SecretsOfThisEnvironment();
        var cassette = new Cassette
        {
            RecordedAt = report.StartedAt,
            Model = report.Model.Configured?.Model ?? "",
            Profile = report.Backend.Profile ?? "tiny",
            Api = exchanges.Select(e => e.Api).FirstOrDefault(api => api is not null) ?? Protocol.ApiStyles.OpenAiCompletions,
            RecordedFrom = new CassetteSource
            {
                RunId = report.RunId,
                Lane = report.Lane,
                FixtureId = report.Fixture.Id,
                FixtureDigest = report.Fixture.Digest,
                ProviderSha256 = report.Provider.Sha256,
                ProviderCommit = report.Provider.SourceCommit,
                RequestedModel = report.Model.Requested?.ToString(),
            },
        };
        foreach (var exchange in exchanges)
        {
            if (!exchange.Answered)
            {
                throw new CassetteInvalidException($"call {exchange.Sequence} ({exchange.Agent}) of the run had no complete answer ({exchange.Describe()}); record a run whose every call was answered");
            }
            var request = Mask(Body(modelDirectory, exchange.RequestBody, exchange.Sequence), secrets);
            var normalized = values.Normalized(request);
            cassette.Calls.Add(new CassetteCall
            {
                Sequence = exchange.Sequence,
                Agent = exchange.Agent,
                Method = exchange.Method,
                Path = exchange.Path,
                Request = normalized,
                RequestSha256 = Sha256.OfBytes(Encoding.UTF8.GetBytes(normalized)),
                Status = exchange.Status ?? 200,
                ContentType = exchange.ContentType,
                Response = values.Portable(Mask(Body(modelDirectory, exchange.ResponseBody, exchange.Sequence), secrets)),
            });
        }
        return cassette;
    }

    private static Stage2Report ReadReport(string runDirectory)
    {
        var reportPath = Path.Combine(runDirectory, RunDirectory.ReportFileName);
        try
        {
            return StrictJson.Deserialize<Stage2Report>(File.ReadAllBytes(reportPath), JsonFiles.Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CassetteInvalidException($"'{reportPath}' cannot be read: {e.Message}");
        }
    }

    private static string Body(string directory, string? name, int sequence)
    {
        if (name is null || !File.Exists(Path.Combine(directory, name)))
        {
            throw new CassetteInvalidException($"call {sequence}: its body '{name}' is not in the run's evidence");
        }
        var text = File.ReadAllText(Path.Combine(directory, name));
        return text.Contains(TruncationNote, StringComparison.Ordinal)
            ? throw new CassetteInvalidException($"call {sequence}: its body '{name}' was truncated in the evidence, so it cannot be replayed")
            : text;
    }

    private static string Mask(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, RunValues.Masked, StringComparison.Ordinal);
        }
        return RunValues.MaskKeys(text);
    }

    private static List<string> SecretsOfThisEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(SecretRedactor.IsSecretName)
            .Select(Environment.GetEnvironmentVariable)
            .OfType<string>()
            .Where(value => value.Length >= 6 && value != Backend.CaseModel.PlaceholderKey)
            .OrderByDescending(value => value.Length)
            .ToList();
}
