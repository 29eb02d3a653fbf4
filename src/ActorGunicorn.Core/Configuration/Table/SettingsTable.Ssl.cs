namespace ActorGunicorn.Configuration;

// TLS on the listeners, with gunicorn's setting names.
public static partial class SettingsTable
{
    /// <summary><c>certfile</c> (<c>--certfile</c>): the server certificate; setting it makes every listener TLS.</summary>
    public static readonly SettingDefinition<string?> CertFile = new(SettingKinds.OptionalText)
    {
        Name = "certfile",
        HoconKey = "certfile",
        Flags = ["--certfile"],
        Section = SettingSections.Ssl,
        Metavar = "FILE",
        Default = null,
        Summary = "PEM certificate (chain) file; turns TLS on.",
        Description = "The server certificate in PEM, followed by any intermediate certificates. When it is set, every "
            + "listener speaks TLS and requests reach the application with the scheme https.",
    };

    /// <summary><c>keyfile</c> (<c>--keyfile</c>): the server certificate's private key.</summary>
    public static readonly SettingDefinition<string?> KeyFile = new(SettingKinds.OptionalText)
    {
        Name = "keyfile",
        HoconKey = "keyfile",
        Flags = ["--keyfile"],
        Section = SettingSections.Ssl,
        Metavar = "FILE",
        Default = null,
        Summary = "PEM private key file of the certificate.",
        Description = "The private key of certfile, in PEM (PKCS#8, RSA or EC). null when the key is in certfile.",
    };

    /// <summary><c>ca_certs</c> (<c>--ca-certs</c>): the CAs client certificates must chain to.</summary>
    public static readonly SettingDefinition<string?> CaCerts = new(SettingKinds.OptionalText)
    {
        Name = "ca_certs",
        HoconKey = "ca-certs",
        Flags = ["--ca-certs"],
        Section = SettingSections.Ssl,
        Metavar = "FILE",
        Default = null,
        Summary = "PEM file of the CAs that client certificates must chain to.",
        Description = "The certificate authorities trusted to sign client certificates (see cert-reqs), in PEM. null "
            + "trusts the system's store.",
    };

    /// <summary><c>cert_reqs</c> (<c>--cert-reqs</c>): whether a client certificate is asked for.</summary>
    public static readonly SettingDefinition<int> CertReqs = new(SettingKinds.WholeNumber)
    {
        Name = "cert_reqs",
        HoconKey = "cert-reqs",
        Flags = ["--cert-reqs"],
        Section = SettingSections.Ssl,
        Metavar = "INT",
        Default = 0,
        Rule = SettingRules.OneOf(0, 1, 2),
        Summary = "Client certificates: 0 none, 1 optional, 2 required.",
        Description = "Whether clients must present a certificate, with Python's ssl values: 0 (CERT_NONE) does not "
            + "ask; 1 (CERT_OPTIONAL) asks and verifies one if given; 2 (CERT_REQUIRED) refuses a client without a "
            + "valid certificate. Certificates are verified against ca-certs.",
    };

    /// <summary><c>ciphers</c> (<c>--ciphers</c>): the TLS 1.2 cipher suites allowed.</summary>
    public static readonly SettingDefinition<string?> Ciphers = new(SettingKinds.OptionalText)
    {
        Name = "ciphers",
        HoconKey = "ciphers",
        Flags = ["--ciphers"],
        Section = SettingSections.Ssl,
        Metavar = "LIST",
        Default = null,
        Summary = "Cipher suites to allow, by IANA name; null keeps the system's.",
        Description = "The cipher suites to allow, colon- or comma-separated IANA names such as "
            + "`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` (gunicorn takes OpenSSL's names; these are the standard "
            + "ones). As in gunicorn the list narrows TLS 1.2; TLS 1.3 keeps its standard suites unless the list "
            + "names some of them. null keeps the system's OpenSSL defaults.",
    };

    /// <summary><c>tls_min_version</c> (<c>--tls-min-version</c>): the oldest TLS version accepted. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<string> TlsMinVersion = new(SettingKinds.Choice("1.2", "1.3"))
    {
        Name = "tls_min_version",
        HoconKey = "tls-min-version",
        Flags = ["--tls-min-version"],
        Section = SettingSections.Ssl,
        BeyondGunicorn = true,
        Metavar = "VERSION",
        Default = "1.2",
        Summary = "Oldest TLS version accepted: 1.2 or 1.3.",
        Description = "The oldest TLS protocol version a client may use: 1.2 (the default) or 1.3. Older versions are "
            + "never offered. It replaces gunicorn's deprecated ssl_version.",
    };

    /// <summary><c>ssl_version</c> (<c>--ssl-version</c>): ignored, as gunicorn 21+ ignores it.</summary>
    public static readonly SettingDefinition<string?> SslVersion = new(SettingKinds.OptionalText)
    {
        Name = "ssl_version",
        HoconKey = "ssl-version",
        Flags = ["--ssl-version"],
        Section = SettingSections.Ssl,
        Metavar = "STRING",
        Default = null,
        Differs = "ignored, as gunicorn 21 and later ignore it (with a warning too); tls-min-version sets the oldest "
            + "TLS version accepted",
        Summary = "Deprecated and ignored; see tls-min-version.",
        Description = "gunicorn's old choice of SSL protocol version, deprecated since gunicorn 21.",
    };

    /// <summary><c>suppress_ragged_eofs</c> (<c>--suppress-ragged-eofs</c>): treat a TLS stream cut without close_notify as its end.</summary>
    public static readonly SettingDefinition<bool> SuppressRaggedEofs = new(SettingKinds.Flag)
    {
        Name = "suppress_ragged_eofs",
        HoconKey = "suppress-ragged-eofs",
        Flags = ["--suppress-ragged-eofs"],
        Section = SettingSections.Ssl,
        Default = true,
        Summary = "Treat a TLS connection closed without close_notify as ended, not as an error.",
        Description = "A client that closes a TLS connection without TLS's close_notify ends it like any other close, "
            + "without an error in the log. Always so here, as in gunicorn, whose flag can only set it to its default.",
    };

    /// <summary><c>do_handshake_on_connect</c> (<c>--do-handshake-on-connect</c>).</summary>
    public static readonly SettingDefinition<bool> DoHandshakeOnConnect = new(SettingKinds.Flag)
    {
        Name = "do_handshake_on_connect",
        HoconKey = "do-handshake-on-connect",
        Flags = ["--do-handshake-on-connect"],
        Section = SettingSections.Ssl,
        Default = false,
        Differs = "the TLS handshake always runs as soon as a connection is accepted, on the worker's own I/O "
            + "threads, whatever the value",
        Summary = "Do the TLS handshake as the connection is accepted.",
        Description = "gunicorn passes it to Python's `wrap_socket`: whether the TLS handshake happens when the "
            + "connection is accepted or on the first read.",
    };

    private static SettingDefinition[] SslRows =>
        [CertFile, KeyFile, CaCerts, CertReqs, Ciphers, TlsMinVersion, SslVersion, SuppressRaggedEofs, DoHandshakeOnConnect];
}
