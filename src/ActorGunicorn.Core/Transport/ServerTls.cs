using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Transport;

/// <summary>
/// The TLS side of the listeners, built once per process from the SSL settings: the certificate and its chain,
/// client-certificate checking against <c>ca_certs</c>, the cipher suites, the oldest protocol version, and ALPN
/// (http/1.1, the only protocol spoken).
/// </summary>
internal sealed class ServerTls
{
    private ServerTls(SslServerAuthenticationOptions options) => Options = options;

    /// <summary>What each connection's handshake uses.</summary>
    public SslServerAuthenticationOptions Options { get; }

    /// <summary>Builds the TLS context, or null when <c>certfile</c> is not set.</summary>
    /// <exception cref="SettingsException">A file cannot be read or a value is unusable; the message names the setting.</exception>
    public static ServerTls? Create(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.CertFile is not { } certFile)
        {
            // gunicorn refuses TLS settings without a certificate rather than serving plain HTTP.
            string? orphan = settings.KeyFile is not null ? "--keyfile" : settings.CaCerts is not null ? "--ca-certs"
                : settings.CertReqs != 0 ? "--cert-reqs" : settings.Ciphers is not null ? "--ciphers" : null;
            return orphan is null ? null : throw new SettingsException($"{orphan} is set but --certfile is not: TLS needs a certificate");
        }

        if (settings.KeyFile is { } keyFile && !File.Exists(keyFile))
        {
            throw new SettingsException($"--keyfile: cannot use '{keyFile}': the file does not exist");
        }

        var certificate = LoadCertificate(certFile, settings.KeyFile);
        var chain = Load("--certfile", certFile, () =>
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certFile);
            return all;
        });
        var trusted = settings.CaCerts is { } caFile
            ? Load("--ca-certs", caFile, () =>
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(caFile);
                return authorities.Count > 0 ? authorities : throw new CryptographicException("the file holds no certificate");
            })
            : null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, [.. chain.Skip(1)], offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            EnabledSslProtocols = settings.TlsMinVersion == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = settings.CertReqs > 0,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CipherSuitesPolicy = settings.Ciphers is { } ciphers ? new CipherSuitesPolicy(ParseCiphers(ciphers)) : null,
            RemoteCertificateValidationCallback = (_, clientCertificate, _, _) =>
                clientCertificate is null ? settings.CertReqs < 2 : ChainsTo(clientCertificate, trusted),
        };
        return new ServerTls(options);
    }

    private static X509Certificate2 LoadCertificate(string certFile, string? keyFile) => Load(keyFile is null ? "--certfile" : "--certfile/--keyfile", certFile, () =>
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        // An ephemeral PEM key works with OpenSSL, but a PKCS#12 round trip gives every platform a usable key.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    });

    private static T Load<T>(string setting, string file, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new SettingsException($"{setting}: cannot use '{file}': {ex.Message}");
        }
    }

    // TLS 1.3's own suites, which OpenSSL keeps apart from the cipher list: gunicorn's ciphers only narrow TLS 1.2.
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256];

    private static List<TlsCipherSuite> ParseCiphers(string ciphers)
    {
        var suites = new List<TlsCipherSuite>();
        foreach (var name in ciphers.Split([':', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            suites.Add(Enum.TryParse<TlsCipherSuite>(name, ignoreCase: true, out var suite) && !int.TryParse(name, out _)
                ? suite
                : throw new SettingsException($"--ciphers: '{name}' is not a cipher suite's IANA name (such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"));
        }

        // A list naming no TLS 1.3 suite would leave TLS 1.3 with none, and OpenSSL then refuses every handshake.
        if (!suites.Intersect(Tls13Suites).Any())
        {
            suites.AddRange(Tls13Suites);
        }

        return suites;
    }

    private static bool ChainsTo(X509Certificate clientCertificate, X509Certificate2Collection? trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (trusted is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(clientCertificate.GetRawCertData());
        return chain.Build(certificate);
    }
}
