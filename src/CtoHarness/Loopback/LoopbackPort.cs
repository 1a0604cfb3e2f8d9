using System.Net;
using System.Net.Sockets;

namespace CtoHarness.Loopback;

public static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 right now (HttpListener cannot bind port 0 itself).</summary>
    public static int Free()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
