namespace ActorGunicorn.Configuration;

// gunicorn 25's HTTP/2 settings, with its names and defaults. The listeners speak HTTP/1.1 only for now: a client
// offered h2 by ALPN falls back to http/1.1, which every HTTP/2 client also speaks.
public static partial class SettingsTable
{
    private const string NoHttp2 = "HTTP/2 is not spoken yet: clients are served over HTTP/1.1 (over TLS, ALPN "
        + "settles on http/1.1)";

    /// <summary><c>http_protocols</c> (<c>--http-protocols</c>): the HTTP versions offered, in preference order.</summary>
    public static readonly SettingDefinition<string> HttpProtocols = new(SettingKinds.Text)
    {
        Name = "http_protocols",
        HoconKey = "http-protocols",
        Flags = ["--http-protocols"],
        Section = SettingSections.Http2,
        Metavar = "STRING",
        Default = "h1",
        Rule = new("a comma-separated list of h1, h2 and h3", value => value.Split(',', StringSplitOptions.TrimEntries)
            .FirstOrDefault(protocol => protocol is not ("h1" or "h2" or "h3")) is { } unknown
                ? $"'{unknown}' in '{value}' is not a protocol (h1, h2 or h3)"
                : null),
        DiffersFor = value => value.Split(',', StringSplitOptions.TrimEntries).Any(protocol => protocol != "h1"),
        Differs = NoHttp2,
        Summary = "HTTP versions to offer, in order of preference: h1, h2.",
        Description = "The HTTP versions the listeners offer, comma-separated, most preferred first: `h1` "
            + "(HTTP/1.1), `h2` (HTTP/2, by ALPN over TLS), `h3` (reserved by gunicorn).",
    };

    /// <summary><c>http2_cleartext</c> (<c>--http2-cleartext</c>): HTTP/2 without TLS (h2c).</summary>
    public static readonly SettingDefinition<string> Http2Cleartext = new(SettingKinds.Choice("off", "prior-knowledge", "upgrade", "both"))
    {
        Name = "http2_cleartext",
        HoconKey = "http2-cleartext",
        Flags = ["--http2-cleartext"],
        Section = SettingSections.Http2,
        Metavar = "MODE",
        Default = "off",
        Differs = NoHttp2,
        Summary = "HTTP/2 without TLS: off, prior-knowledge, upgrade or both.",
        Description = "Whether trusted front ends (forwarded-allow-ips) may speak HTTP/2 in clear text, by prior "
            + "knowledge, by `Upgrade: h2c`, or both.",
    };

    /// <summary><c>http2_max_concurrent_streams</c> (<c>--http2-max-concurrent-streams</c>).</summary>
    public static readonly SettingDefinition<int> Http2MaxConcurrentStreams = AcceptedNumber(
        SettingSections.Http2, NoHttp2, "http2_max_concurrent_streams", 100, "Streams one HTTP/2 connection may have open at once.",
        "SETTINGS_MAX_CONCURRENT_STREAMS: how many streams a client may have open on one connection.");

    /// <summary><c>http2_initial_window_size</c> (<c>--http2-initial-window-size</c>).</summary>
    public static readonly SettingDefinition<int> Http2InitialWindowSize = AcceptedNumber(
        SettingSections.Http2, NoHttp2, "http2_initial_window_size", 65535, "Initial HTTP/2 flow-control window, in bytes.",
        "SETTINGS_INITIAL_WINDOW_SIZE: the bytes a client may send on a stream before the server acknowledges them.");

    /// <summary><c>http2_max_frame_size</c> (<c>--http2-max-frame-size</c>).</summary>
    public static readonly SettingDefinition<int> Http2MaxFrameSize = AcceptedNumber(
        SettingSections.Http2, NoHttp2, "http2_max_frame_size", 16384, "Largest HTTP/2 frame payload accepted, in bytes.",
        "SETTINGS_MAX_FRAME_SIZE: the largest frame payload the server accepts, 16384 to 16777215.");

    /// <summary><c>http2_max_header_list_size</c> (<c>--http2-max-header-list-size</c>).</summary>
    public static readonly SettingDefinition<int> Http2MaxHeaderListSize = AcceptedNumber(
        SettingSections.Http2, NoHttp2, "http2_max_header_list_size", 65536, "Largest decoded HTTP/2 header list, in bytes; 0 for no limit.",
        "SETTINGS_MAX_HEADER_LIST_SIZE: the most bytes a request's headers may decode to, which guards against "
            + "HPACK bombs; 0 for no limit.");

    private static SettingDefinition[] Http2Rows =>
        [HttpProtocols, Http2Cleartext, Http2MaxConcurrentStreams, Http2InitialWindowSize, Http2MaxFrameSize, Http2MaxHeaderListSize];
}
