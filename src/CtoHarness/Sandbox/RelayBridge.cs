using System.Net;
using System.Net.Sockets;

namespace CtoHarness.Sandbox;

/// <summary>
/// The one way out of a provider's sandbox: a Unix socket of the harness's (bound into the sandbox) that the harness
/// connects, byte for byte, to the run's model relay on the host's loopback. Inside, the sandbox init listens on the
/// relay's own port of the sandbox's loopback and forwards there, so Case's configuration names the relay as usual,
/// and nothing else of the network is reachable.
/// </summary>
public sealed class RelayBridge : IDisposable
{
    private readonly Socket _listener;
    private readonly int _relayPort;
    private readonly Thread _acceptor;
    private readonly List<Socket> _open = [];
    private bool _stopped;

    /// <summary>Where the socket appears inside the sandbox.</summary>
    public const string InsidePath = "/run/ctoharness/relay.sock";

    private readonly string _directory;

    private RelayBridge(int relayPort)
    {
        // A Unix socket's path is at most 107 bytes, and a run directory's can be longer: a short private folder.
        var temp = Path.GetTempPath();
        _directory = Path.Combine(temp.Length <= 64 ? temp : "/tmp", $"ctoharness-relay-{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}");
        Directory.CreateDirectory(_directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var socketPath = Path.Combine(_directory, "relay.sock");
        SocketPath = socketPath;
        _relayPort = relayPort;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(64);
        // The sandbox's own user connects to it (connecting to a Unix socket takes the right to write it).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, (UnixFileMode)0x1B6 /* 0666 */);
        }
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "ctoharness-relay-bridge" };
        _acceptor.Start();
    }

    public string SocketPath { get; }

    public int RelayPort => _relayPort;

    public static RelayBridge Start(int relayPort) => new(relayPort);

    public void Dispose()
    {
        lock (_open)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            foreach (var socket in _open)
            {
                socket.Dispose();
            }
        }
        _listener.Dispose();
        _acceptor.Join(TimeSpan.FromSeconds(2));
        Directory.Delete(_directory, recursive: true);
    }

    private void Accept()
    {
        while (true)
        {
            Socket inside;
            try
            {
                inside = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var relay = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                relay.Connect(new IPEndPoint(IPAddress.Loopback, _relayPort));
            }
            catch (SocketException)
            {
                inside.Dispose();
                relay.Dispose();
                continue;
            }
            if (!Track(inside, relay))
            {
                return;
            }
            var ends = 2;
            void Ended()
            {
                if (Interlocked.Decrement(ref ends) == 0)
                {
                    Forget(inside, relay);
                }
            }
            Pump(inside, relay, Ended);
            Pump(relay, inside, Ended);
        }
    }

    private bool Track(params Socket[] sockets)
    {
        lock (_open)
        {
            if (_stopped)
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }
                return false;
            }
            _open.AddRange(sockets);
            return true;
        }
    }

    private void Forget(params Socket[] sockets)
    {
        lock (_open)
        {
            foreach (var socket in sockets)
            {
                _open.Remove(socket);
                socket.Dispose();
            }
        }
    }

    /// <summary>Copies one direction on a thread of its own; the end of one side is passed on as a shutdown of the other.</summary>
    private static void Pump(Socket from, Socket to, Action ended) => new Thread(() =>
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = from.Receive(buffer)) > 0)
            {
                to.Send(buffer.AsSpan(0, read));
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side went away: the other learns it by its own reads, or when both sockets are closed.
        }
        finally
        {
            ended();
        }
    }) { IsBackground = true, Name = "ctoharness-relay-bridge-pump" }.Start();
}
