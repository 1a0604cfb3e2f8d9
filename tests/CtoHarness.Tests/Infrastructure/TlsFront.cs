using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// An https front for a plain-http test endpoint, on loopback, with a certificate from a throwaway private CA:
/// the stand-in for a hosted provider's https API. <see cref="CaPemPath"/> is the root to trust.
/// </summary>
public sealed class TlsFront : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly int _backendPort;
    private readonly Thread _acceptor;
    private volatile bool _stopping;

    public TlsFront(string backendBaseUrl, string directory)
    {
        var backend = new Uri(backendBaseUrl);
        _backendPort = backend.Port;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=CtoHarness test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), [1, 2, 3, 4, 5, 6, 7, 8]);
        _certificate = X509CertificateLoader.LoadPkcs12(leaf.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pfx), null);
        CaPemPath = Path.Combine(directory, "test-ca.pem");
        File.WriteAllText(CaPemPath, ca.ExportCertificatePem());
        _listener.Start();
        BaseUrl = $"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{backend.AbsolutePath}";
        _acceptor = new Thread(Accept) { IsBackground = true };
        _acceptor.Start();
    }

    public string BaseUrl { get; }
    public string CaPemPath { get; }

    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();
        _acceptor.Join(TimeSpan.FromSeconds(5));
        _certificate.Dispose();
    }

    private void Accept()
    {
        while (!_stopping)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            new Thread(() => Serve(client)) { IsBackground = true }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        try
        {
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            using (var backend = new TcpClient("127.0.0.1", _backendPort))
            {
                tls.AuthenticateAsServer(_certificate);
                var plain = backend.GetStream();
                var up = new Thread(() => Pump(tls, plain)) { IsBackground = true };
                up.Start();
                Pump(plain, tls);
                up.Join(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            // the client went away or refused the certificate
        }
    }

    private static void Pump(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
            {
                to.Write(buffer, 0, read);
                to.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // one side closed
        }
    }
}
