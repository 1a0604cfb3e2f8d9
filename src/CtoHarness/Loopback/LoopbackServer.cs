using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CtoHarness.Loopback;

/// <summary>
/// An HTTP server on 127.0.0.1 only, on a free port, for one run: the relay, the scripted model and the cassette
/// player are each one. Every request is served on a thread of its own, never the thread pool (the runs of a set
/// block pool threads for minutes, and a silent answer blocks its thread until the run ends).
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Action<HttpListenerContext> _serve;
    private readonly Thread _acceptor;
    private readonly List<Thread> _handlers = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();

    public LoopbackServer(string name, Action<HttpListenerContext> serve)
    {
        _serve = serve;
        (_listener, Port) = Listen();
        _acceptor = new Thread(Accept) { IsBackground = true, Name = name };
        _acceptor.Start();
    }

    public int Port { get; }

    /// <summary>
    /// Listens on a free port. A port found free can be taken by another process before the listener binds it (many
    /// test processes and runs start servers at once): then another free port is tried.
    /// </summary>
    private static (HttpListener Listener, int Port) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>Cancelled when the server stops: what a request waits on must give up then.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Stops listening and cuts every open connection (the endpoint is gone), then waits briefly for the handlers.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        try
        {
            _listener.Abort();
        }
        catch (ObjectDisposedException)
        {
            // already gone
        }
        _acceptor.Join(TimeSpan.FromSeconds(5));
        Thread[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }
        foreach (var handler in handlers.Where(t => t != Thread.CurrentThread))
        {
            handler.Join(TimeSpan.FromSeconds(5));
        }
    }

    public static void Answer(HttpListenerResponse response, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public static JsonObject Error(string message, string type, string code) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code } };

    private void Accept()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var handler = new Thread(() => Serve(context)) { IsBackground = true, Name = $"{_acceptor.Name}-request" };
            lock (_gate)
            {
                _handlers.RemoveAll(t => !t.IsAlive);
                _handlers.Add(handler);
            }
            handler.Start();
        }
    }

    private void Serve(HttpListenerContext context)
    {
        try
        {
            _serve(context);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away, a stream was cut on purpose, or the run is ending.
        }
    }
}
