using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CtoHarness.Relay;

/// <summary>TLS for an upstream whose certificate chains to a private root the admitted pair names (instead of the system's roots).</summary>
internal static class TrustedRoot
{
    public static SslClientAuthenticationOptions Options(string? pemPath)
    {
        if (pemPath is null)
        {
            return new SslClientAuthenticationOptions();
        }
        var root = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
    }
}
