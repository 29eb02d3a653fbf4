namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>limit_request_line</c> (<c>--limit-request-line</c>): the largest request line.</summary>
    public static readonly SettingDefinition<int> LimitRequestLine = new(SettingKinds.WholeNumber)
    {
        Name = "limit_request_line",
        HoconKey = "limit-request-line",
        Flags = ["--limit-request-line"],
        Section = SettingSections.Security,
        Metavar = "INT",
        Default = 4094,
        Rule = SettingRules.NotNegative,
        Summary = "Largest request line, in bytes.",
        Description = "The largest request line (method, target and version) accepted, in bytes; longer requests are "
            + "refused. A guard against oversized requests. As in gunicorn, 0 means no limit and values "
            + "above 8190 count as 8190; the HTTP engine applies that normalisation.",
    };

    /// <summary><c>limit_request_fields</c> (<c>--limit-request-fields</c>): the most header fields per request.</summary>
    public static readonly SettingDefinition<int> LimitRequestFields = new(SettingKinds.WholeNumber)
    {
        Name = "limit_request_fields",
        HoconKey = "limit-request-fields",
        Flags = ["--limit-request-fields"],
        Section = SettingSections.Security,
        Metavar = "INT",
        Default = 100,
        Rule = SettingRules.NotNegative,
        Summary = "Most header fields per request.",
        Description = "The most header fields a request may carry; requests with more are refused. As in gunicorn, "
            + "0 and values above 32768 count as 32768; the HTTP engine applies that normalisation.",
    };

    /// <summary><c>limit_request_field_size</c> (<c>--limit-request-field_size</c>): the largest header field.</summary>
    public static readonly SettingDefinition<int> LimitRequestFieldSize = new(SettingKinds.WholeNumber)
    {
        Name = "limit_request_field_size",
        HoconKey = "limit-request-field-size",
        Flags = ["--limit-request-field_size"],
        Section = SettingSections.Security,
        Metavar = "INT",
        Default = 8190,
        Rule = SettingRules.NotNegative,
        Summary = "Largest header field, in bytes.",
        Description = "The largest header field line (name, colon and value) accepted, in bytes; requests with a longer "
            + "one are refused. The flag keeps gunicorn's underscore. As in gunicorn since 25.2, 0 counts as the "
            + "default 8190; the HTTP engine applies that normalisation.",
    };

    /// <summary><c>limit_request_body</c> (<c>--limit-request-body</c>): the largest request body. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<long> LimitRequestBody = new(SettingKinds.ByteCount)
    {
        Name = "limit_request_body",
        HoconKey = "limit-request-body",
        Flags = ["--limit-request-body"],
        Section = SettingSections.Security,
        BeyondGunicorn = true,
        Metavar = "BYTES",
        Default = 0,
        Rule = SettingRules.NotNegativeSize,
        Summary = "Largest request body, in bytes (K, M, G allowed); 0 means no limit.",
        Description = "The largest request body accepted, e.g. `10M`. A request whose Content-Length is larger gets "
            + "413 before the application runs; a chunked body gets 413 (or, once the response has started, a "
            + "closed connection) as soon as its chunks add up to more. Nothing is buffered to check it. 0, the "
            + "default, means no limit, as in gunicorn, which has no such setting.",
    };

    /// <summary><c>header_timeout</c> (<c>--header-timeout</c>): time allowed to send a request head. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<TimeSpan> HeaderTimeout = new(SettingKinds.Seconds)
    {
        Name = "header_timeout",
        HoconKey = "header-timeout",
        Flags = ["--header-timeout"],
        Section = SettingSections.Security,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(20),
        Summary = "Seconds a client gets to send a whole request head; 0 disables.",
        Description = "From the first byte of a request's head to its end, at most this long may pass; a slower "
            + "client gets 408 and its connection is closed. This defeats slowloris-style attacks, in which many "
            + "connections each trickle header bytes to hold the worker's connection slots. 0 disables it.",
    };

    /// <summary><c>body_timeout</c> (<c>--body-timeout</c>): the longest wait for request body bytes. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<TimeSpan> BodyTimeout = new(SettingKinds.Seconds)
    {
        Name = "body_timeout",
        HoconKey = "body-timeout",
        Flags = ["--body-timeout"],
        Section = SettingSections.Security,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(30),
        Summary = "Seconds to wait for each piece of a request body; 0 disables.",
        Description = "When the application reads the request body and no byte arrives for this long, the read "
            + "fails: the client gets 408 (or, if the response has started, the connection is closed). It bounds "
            + "how long a client that stalls mid-upload can hold a worker thread. 0 disables it.",
    };

    /// <summary><c>limit_peer_connections</c> (<c>--limit-peer-connections</c>): connections one client address may hold. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<int> LimitPeerConnections = new(SettingKinds.WholeNumber)
    {
        Name = "limit_peer_connections",
        HoconKey = "limit-peer-connections",
        Flags = ["--limit-peer-connections"],
        Section = SettingSections.Security,
        BeyondGunicorn = true,
        Metavar = "INT",
        Default = -1,
        Rule = SettingRules.AtLeast(-1),
        Summary = "Connections one client address may hold per worker; -1: half of worker-connections; 0: no limit.",
        Description = "The most connections one client IP address may hold open in one worker; a further connection "
            + "from it is closed at once. It keeps one client, or a slowloris attack from one address, from taking "
            + "every slot. Trusted front ends (forwarded-allow-ips) and Unix-socket peers are not limited, since "
            + "they carry everyone's traffic. -1, the default, means half of worker-connections; 0 means no limit.",
    };

    private static SettingDefinition[] SecurityRows => [LimitRequestLine, LimitRequestFields, LimitRequestFieldSize, LimitRequestBody, HeaderTimeout, BodyTimeout, LimitPeerConnections];
}
