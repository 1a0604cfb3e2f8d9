using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Loopback;
using CtoHarness.Protocol;

namespace CtoHarness.Replay;

/// <summary>
/// Serves a cassette as the model endpoint of a replay run, on loopback: each request must be the recorded one
/// of its turn (after normalization); its answer is then streamed event by event as it was recorded. The first
/// divergence, an extra call or a call never made ends the replay as diverged, with the differing part shown
/// side by side.
/// </summary>
public sealed class CassettePlayer : IDisposable
{
    private const int ContextChars = 240;
    private readonly Cassette _cassette;
    private readonly RunValues _values;
    private readonly LoopbackServer _server;
    private readonly object _gate = new();
    private int _next;

    private CassettePlayer(Cassette cassette, RunValues values)
    {
        _cassette = cassette;
        _values = values;
        _server = new LoopbackServer("ctoharness-replay", Serve);
        BaseUrl = ApiStyles.BaseUrl(_server.Origin, cassette.Api);
    }

    public string BaseUrl { get; }

    /// <summary>The first divergence seen while serving, or null.</summary>
    public string? Divergence { get; private set; }

    public static CassettePlayer Start(Cassette cassette, RunValues values) => new(cassette, values);

    /// <summary>After the run: the divergence, or the recorded calls the run never made.</summary>
    public string? Verdict()
    {
        lock (_gate)
        {
            if (Divergence is not null)
            {
                return Divergence;
            }
            if (_next < _cassette.Calls.Count)
            {
                var missing = _cassette.Calls[_next];
                return $"missing call: the run made {_next} call(s), the cassette records {_cassette.Calls.Count}; the first not made is call {missing.Sequence} ({missing.Agent})";
            }
            return null;
        }
    }

    public void Dispose() => _server.Dispose();

    private void Serve(HttpListenerContext context)
    {
        {
            if (context.Request.HttpMethod == "GET" && context.Request.Url!.AbsolutePath.EndsWith("/models", StringComparison.Ordinal))
            {
                LoopbackServer.Answer(context.Response, 200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(new JsonObject { ["id"] = _cassette.Model, ["object"] = "model" }) });
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var request = _values.Normalized(reader.ReadToEnd());
            CassetteCall? call;
            lock (_gate)
            {
                call = Divergence is null ? Match(request) : null;
            }
            if (call is null)
            {
                LoopbackServer.Answer(context.Response, 400, LoopbackServer.Error($"CtoHarness replay: {Divergence}", "ctoharness_replay_error", "ctoharness_replay_diverged"));
                return;
            }
            Play(context.Response, call);
        }
    }

    /// <summary>The recorded call this request must be, or null with the divergence set.</summary>
    private CassetteCall? Match(string request)
    {
        if (_next >= _cassette.Calls.Count)
        {
            Divergence = $"extra call: call {_next + 1} (agent {AgentOf(request)}) was made, but the cassette records only {_cassette.Calls.Count}";
            return null;
        }
        var call = _cassette.Calls[_next];
        if (call.Request != request)
        {
            Divergence = $"call {call.Sequence} ({call.Agent}) diverged from the cassette{ProfileNote(request)}:\n{SideBySide(call.Request, request)}";
            return null;
        }
        _next++;
        return call;
    }

    private string ProfileNote(string request) =>
        AgentOf(request) != _cassette.Calls[_next].Agent ? $" (the cassette's call is the {_cassette.Calls[_next].Agent}'s, this one the {AgentOf(request)}'s; recorded with profile {_cassette.Profile})" : "";

    private static string AgentOf(string request) => AgentRole.Of(Encoding.UTF8.GetBytes(request));

    /// <summary>The first differing part of the two requests, with some context on either side.</summary>
    public static string SideBySide(string recorded, string replayed)
    {
        var at = 0;
        while (at < recorded.Length && at < replayed.Length && recorded[at] == replayed[at])
        {
            at++;
        }
        var from = Math.Max(0, at - ContextChars);
        string Part(string text) => text.Length <= from ? "(ends here)" : text.Substring(from, Math.Min(2 * ContextChars, text.Length - from)).Replace("\n", "\\n");
        return $"first difference at character {at}\nrecorded: …{Part(recorded)}…\nreplayed: …{Part(replayed)}…";
    }

    private void Play(HttpListenerResponse response, CassetteCall call)
    {
        // A cassette is a file anyone could have edited: nothing key-shaped in it reaches the run.
        var body = RunValues.MaskKeys(_values.Local(call.Response));
        response.StatusCode = call.Status;
        response.ContentType = call.ContentType;
        if (call.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
        {
            // Event by event, as it was streamed.
            response.SendChunked = true;
            foreach (var part in body.Split("\n\n"))
            {
                if (part.Length == 0)
                {
                    continue;
                }
                response.OutputStream.Write(Encoding.UTF8.GetBytes(part + "\n\n"));
                response.OutputStream.Flush();
            }
            response.Close();
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }
}
