using System.Text.Json;
using CtoHarness.Evidence;
using CtoHarness.Contracts;

namespace CtoHarness.Replay;

/// <summary>
/// A recorded model session (docs/model-cassette.schema.json): per call, in order, the agent, the request as it
/// is compared (normalized, <see cref="RunValues"/>) with its SHA-256, and the answer as it was streamed. Portable
/// between machines, masked, never holding a key or an Authorization value.
/// </summary>
public sealed class Cassette
{
    public const string SchemaId = "https://ctoharness.dev/schemas/model-cassette/v1";
    public const int CurrentSchemaVersion = 1;

    public string Schema { get; set; } = SchemaId;
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    public string HarnessVersion { get; set; } = CtoHarness.HarnessVersion.Current;
    public DateTimeOffset RecordedAt { get; set; }
    public CassetteSource RecordedFrom { get; set; } = new();
    /// <summary>The model id Case was configured with when it was recorded; a replay configures the same.</summary>
    public string Model { get; set; } = "";
    public string Profile { get; set; } = "tiny";
    /// <summary>The API style the session was recorded in (a replay configures Case for the same); absent in older cassettes: chat completions.</summary>
    public string Api { get; set; } = Protocol.ApiStyles.OpenAiCompletions;
    public List<CassetteCall> Calls { get; set; } = [];

    public static Cassette Read(string path)
    {
        Cassette cassette;
        try
        {
            cassette = StrictJson.Deserialize<Cassette>(File.ReadAllBytes(path), ReadOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CassetteInvalidException($"the model cassette '{path}' cannot be read: {e.Message}");
        }
        var problems = new List<string>();
        if (cassette.Schema != SchemaId || cassette.SchemaVersion != CurrentSchemaVersion)
        {
            problems.Add($"schema '{cassette.Schema}' version {cassette.SchemaVersion} is not {SchemaId} version {CurrentSchemaVersion}");
        }
        if (cassette.Calls.Count == 0)
        {
            problems.Add("it records no call");
        }
        if (string.IsNullOrWhiteSpace(cassette.Model))
        {
            problems.Add("it names no model");
        }
        if (!Protocol.ApiStyles.All.Contains(cassette.Api))
        {
            problems.Add($"its API style '{cassette.Api}' is not one Case speaks ({string.Join(", ", Protocol.ApiStyles.All)})");
        }
        foreach (var call in cassette.Calls.Where(c => c.RequestSha256 != Sha256.OfBytes(System.Text.Encoding.UTF8.GetBytes(c.Request))))
        {
            problems.Add($"call {call.Sequence}: the request does not have its recorded SHA-256 (edited or truncated)");
        }
        if (problems.Count > 0)
        {
            throw new CassetteInvalidException($"the model cassette '{path}' is invalid: {string.Join("; ", problems)}");
        }
        return cassette;
    }

    public void Write(string path) => JsonFiles.WriteAtomically(path, this);

    private static readonly JsonSerializerOptions ReadOptions = new(JsonFiles.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

public sealed class CassetteSource
{
    public string RunId { get; set; } = "";
    public string Lane { get; set; } = "";
    public string FixtureId { get; set; } = "";
    public string? FixtureDigest { get; set; }
    public string? ProviderSha256 { get; set; }
    public string? ProviderCommit { get; set; }
    public string? RequestedModel { get; set; }
}

public sealed class CassetteCall
{
    public int Sequence { get; set; }
    public string Agent { get; set; } = "";
    public string Method { get; set; } = "POST";
    /// <summary>The path as Case requested it, under the endpoint's base path.</summary>
    public string Path { get; set; } = "";
    public string RequestSha256 { get; set; } = "";
    /// <summary>The request body, normalized (see <see cref="RunValues.Normalized"/>).</summary>
    public string Request { get; set; } = "";
    public int Status { get; set; }
    public string? ContentType { get; set; }
    /// <summary>The answer as it was streamed, portable (<see cref="RunValues.Portable"/>).</summary>
    public string Response { get; set; } = "";
}

/// <summary>A cassette that cannot be read or replayed (CTOH024 when planning a replay, CTOH025 when making one).</summary>
public sealed class CassetteInvalidException(string message) : ExpectedFailure(Diagnostics.CassetteUnusable, message);
