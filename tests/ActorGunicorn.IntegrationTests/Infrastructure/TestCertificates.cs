using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PKI as PEM files in a temporary directory: a CA, a server certificate for 127.0.0.1, ::1 and
/// localhost signed by it, a client certificate signed by it, and a second, unrelated CA with a client certificate of
/// its own. Made with .NET's <see cref="CertificateRequest"/> (no openssl needed), once per test class as an xunit
/// class fixture; disposal deletes the directory.
/// </summary>
/// <remarks>RSA 2048 throughout, so the server's TLS 1.2 suites are the ECDHE_RSA ones.</remarks>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates()
    {
        try
        {
            var notBefore = DateTimeOffset.UtcNow.AddDays(-1);

            // Issued certificates end before their CA does (CertificateRequest.Create refuses otherwise).
            var caNotAfter = notBefore.AddDays(30);
            var notAfter = notBefore.AddDays(29);

            using var caKey = RSA.Create(2048);
            using var ca = CreateAuthority("CN=ActorGunicorn Test CA", caKey, notBefore, caNotAfter);
            CaCertificate = WriteCertificate("ca.pem", ca);

            var serverNames = new SubjectAlternativeNameBuilder();
            serverNames.AddIpAddress(IPAddress.Loopback);
            serverNames.AddIpAddress(IPAddress.IPv6Loopback);
            serverNames.AddDnsName("localhost");
            using var serverKey = RSA.Create(2048);
            using var server = Issue(
                ca, "CN=127.0.0.1", serverKey, ServerAuthentication, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                serverNames.Build(critical: false), notBefore, notAfter);
            ServerCertificate = WriteCertificate("server.pem", server);
            ServerKey = WriteKey("server.key", serverKey);

            using var clientKey = RSA.Create(2048);
            using var client = Issue(ca, "CN=ActorGunicorn Test Client", clientKey, ClientAuthentication, X509KeyUsageFlags.DigitalSignature, null, notBefore, notAfter);
            ClientCertificate = WriteCertificate("client.pem", client);
            ClientKey = WriteKey("client.key", clientKey);

            using var foreignCaKey = RSA.Create(2048);
            using var foreignCa = CreateAuthority("CN=Unrelated Test CA", foreignCaKey, notBefore, caNotAfter);
            ForeignCaCertificate = WriteCertificate("foreign-ca.pem", foreignCa);

            using var foreignClientKey = RSA.Create(2048);
            using var foreignClient = Issue(
                foreignCa, "CN=ActorGunicorn Test Client", foreignClientKey, ClientAuthentication, X509KeyUsageFlags.DigitalSignature, null, notBefore, notAfter);
            ForeignClientCertificate = WriteCertificate("foreign-client.pem", foreignClient);
            ForeignClientKey = WriteKey("foreign-client.key", foreignClientKey);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The directory holding every file, deleted with the fixture.</summary>
    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("actorgunicorn-tls-").FullName;

    /// <summary>The CA's certificate (PEM): <c>--cacert</c> for curl, <c>--ca-certs</c> for the server.</summary>
    public string CaCertificate { get; } = string.Empty;

    /// <summary>The server's certificate (PEM), for 127.0.0.1, ::1 and localhost.</summary>
    public string ServerCertificate { get; } = string.Empty;

    /// <summary>The server's private key (PKCS#8 PEM).</summary>
    public string ServerKey { get; } = string.Empty;

    /// <summary>A client certificate signed by the CA (PEM).</summary>
    public string ClientCertificate { get; } = string.Empty;

    /// <summary>The client certificate's private key (PKCS#8 PEM).</summary>
    public string ClientKey { get; } = string.Empty;

    /// <summary>A second CA that has nothing to do with the first (PEM).</summary>
    public string ForeignCaCertificate { get; } = string.Empty;

    /// <summary>A client certificate signed by the unrelated CA (PEM).</summary>
    public string ForeignClientCertificate { get; } = string.Empty;

    /// <summary>Its private key (PKCS#8 PEM).</summary>
    public string ForeignClientKey { get; } = string.Empty;

    public void Dispose()
    {
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
    }

    private static X509Certificate2 CreateAuthority(string subject, RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static X509Certificate2 Issue(
        X509Certificate2 issuer, string subject, RSA key, Oid usage, X509KeyUsageFlags keyUsage, X509Extension? alternativeNames,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        // A positive serial number of 16 random bytes, as CAs issue them.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(issuer, notBefore, notAfter, serial);
    }

    private string WriteCertificate(string name, X509Certificate2 certificate)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    private string WriteKey(string name, RSA key)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n");

        // Private keys are readable by their owner only, as a deployment would keep them.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
