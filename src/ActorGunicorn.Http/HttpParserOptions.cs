using System.Net;

namespace ActorGunicorn.Http;

/// <summary>
/// The request-parsing settings, with gunicorn's names, defaults and normalisation (gunicorn/config.py and
/// gunicorn/http/message.py). Immutable; build one per listener and share it between connections.
/// </summary>
public sealed class HttpParserOptions
{
    /// <summary>gunicorn's MAX_REQUEST_LINE: the largest request line any setting allows.</summary>
    public const int MaxRequestLine = 8190;

    /// <summary>gunicorn's MAX_HEADERS: the field count used when the setting is out of range.</summary>
    public const int MaxHeaders = 32768;

    /// <summary>gunicorn's DEFAULT_MAX_HEADERFIELD_SIZE: the field size used when the setting is not positive.</summary>
    public const int DefaultMaxHeaderFieldSize = 8190;

    private readonly int _limitRequestLine = 4094;
    private readonly int _limitRequestFields = 100;
    private readonly int _limitRequestFieldSize = DefaultMaxHeaderFieldSize;
    private Internal.ParserRules? _rules;

    /// <summary>The defaults of gunicorn 26.</summary>
    public static HttpParserOptions Default { get; } = new();

    /// <summary>
    /// Longest request line in bytes, CRLF excluded. Default 4094, gunicorn's <c>limit_request_line</c> default
    /// (config.py). 0 means unlimited; a negative value or one of 8190 and above becomes 8190 (gunicorn's
    /// MAX_REQUEST_LINE, which is also Apache's LimitRequestLine default).
    /// </summary>
    public int LimitRequestLine
    {
        get => _limitRequestLine;
        init => _limitRequestLine = value < 0 || value >= MaxRequestLine ? MaxRequestLine : value;
    }

    /// <summary>
    /// Most header fields in one request (gunicorn's default 100, also Apache's LimitRequestFields). A value of 0 or
    /// less, or above 32768, becomes 32768 (gunicorn's MAX_HEADERS).
    /// </summary>
    public int LimitRequestFields
    {
        get => _limitRequestFields;
        init => _limitRequestFields = value <= 0 || value > MaxHeaders ? MaxHeaders : value;
    }

    /// <summary>
    /// Largest header field in bytes, counting <c>name:value</c>, its CRLF and any folded continuation lines
    /// (gunicorn's default 8190, Apache's LimitRequestFieldSize). A value of 0 or less becomes 8190 (gunicorn 25.2+).
    /// </summary>
    public int LimitRequestFieldSize
    {
        get => _limitRequestFieldSize;
        init => _limitRequestFieldSize = value <= 0 ? DefaultMaxHeaderFieldSize : value;
    }

    /// <summary>
    /// Largest request body in bytes; 0 (the default, as in gunicorn) means unlimited. A larger Content-Length is
    /// refused with 413 before the application runs; a chunked body is refused as soon as its chunks exceed it.
    /// </summary>
    public long LimitRequestBody { get; init; }

    /// <summary>Accept obs-fold continuation lines and join them with a space instead of refusing them (RFC 9112 5.2).</summary>
    public bool PermitObsoleteFolding { get; init; }

    /// <summary>Strip SP/HTAB between a field name and its colon instead of refusing the name (gunicorn's compatibility flag).</summary>
    public bool StripHeaderSpaces { get; init; }

    /// <summary>Accept methods with lower case, '#' or outside 3-20 characters (they must still be tokens).</summary>
    public bool PermitUnconventionalHttpMethod { get; init; }

    /// <summary>Accept HTTP versions outside 1.0-1.1 (still single digits, <c>HTTP/d.d</c>).</summary>
    public bool PermitUnconventionalHttpVersion { get; init; }

    /// <summary>Upper-case the method after validation.</summary>
    public bool CasefoldHttpMethod { get; init; }

    /// <summary>What to do with header names containing '_' that are not trusted forwarder headers.</summary>
    public HeaderMapPolicy HeaderMap { get; init; } = HeaderMapPolicy.Drop;

    /// <summary>
    /// Underscore header names a trusted forwarder may set (gunicorn's <c>forwarder_headers</c>, default
    /// <c>SCRIPT_NAME,PATH_INFO</c>); <c>*</c> allows any. Compared case-insensitively.
    /// </summary>
    public IReadOnlyList<string> ForwarderHeaders { get; init; } = ["SCRIPT_NAME", "PATH_INFO"];

    /// <summary>
    /// Headers a trusted front end uses to say the original request was secure, with the value meaning "https"
    /// (gunicorn's <c>secure_scheme_headers</c>). Names compare case-insensitively, values exactly.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecureSchemeHeaders { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["X-FORWARDED-PROTOCOL"] = "ssl",
        ["X-FORWARDED-PROTO"] = "https",
        ["X-FORWARDED-SSL"] = "on",
    };

    /// <summary>Which PROXY protocol headers are accepted at the start of a connection.</summary>
    public ProxyProtocolMode ProxyProtocol { get; init; } = ProxyProtocolMode.Off;

    /// <summary>
    /// Peers trusted as front ends (gunicorn's <c>forwarded_allow_ips</c>, default <c>127.0.0.1,::1</c>): only their
    /// <see cref="SecureSchemeHeaders"/> and <see cref="ForwarderHeaders"/> count.
    /// </summary>
    public IpAllowList ForwardedAllowIps { get; init; } = IpAllowList.Parse("127.0.0.1,::1");

    /// <summary>Peers allowed to send a PROXY header (gunicorn's <c>proxy_allow_ips</c>, default <c>127.0.0.1,::1</c>).</summary>
    public IpAllowList ProxyAllowIps { get; init; } = IpAllowList.Parse("127.0.0.1,::1");

    /// <summary>Whether <paramref name="peer"/> is a trusted front end. A Unix-socket peer always is, as in gunicorn.</summary>
    public bool IsTrustedForwarder(EndPoint? peer) => peer is not IPEndPoint ip || ForwardedAllowIps.Contains(ip.Address);

    /// <summary>Whether <paramref name="peer"/> may send a PROXY header. A Unix-socket peer always may, as in gunicorn.</summary>
    public bool MayUseProxyProtocol(EndPoint? peer) => peer is not IPEndPoint ip || ProxyAllowIps.Contains(ip.Address);

    /// <summary>
    /// gunicorn's <c>max_buffer_headers</c>: the most bytes a header section may hold before its end is seen,
    /// <c>fields * (field_size + 2) + 4</c>.
    /// </summary>
    public long MaxHeaderSectionBytes => (long)LimitRequestFields * (LimitRequestFieldSize + 2) + 4;

    /// <summary>The compiled form the parser works from, built once per options instance.</summary>
    internal Internal.ParserRules Rules => _rules ??= new Internal.ParserRules(this);
}
