namespace ActorGunicorn.Logging;

/// <summary>What the access log may print about one finished request; atoms pull only what they use.</summary>
internal interface IAccessLogRecord
{
    /// <summary>The client address without the port, or null for Unix-socket peers.</summary>
    string? RemoteAddress { get; }

    /// <summary>The user of an <c>Authorization: Basic</c> header, or null.</summary>
    string? BasicAuthUser { get; }

    /// <summary>When the request started.</summary>
    DateTimeOffset StartTime { get; }

    /// <summary>How long the request took until its response was complete.</summary>
    TimeSpan Duration { get; }

    /// <summary>The request method.</summary>
    string Method { get; }

    /// <summary>The request-target as received.</summary>
    string RawTarget { get; }

    /// <summary>The decoded path.</summary>
    string Path { get; }

    /// <summary>The raw query string.</summary>
    string QueryString { get; }

    /// <summary>The protocol, e.g. <c>HTTP/1.1</c>.</summary>
    string Protocol { get; }

    /// <summary>The response status code.</summary>
    int StatusCode { get; }

    /// <summary>Response body bytes sent.</summary>
    long BytesSent { get; }

    /// <summary>The first value of a request header, or null.</summary>
    string? RequestHeader(string name);

    /// <summary>The first value of a response header, or null.</summary>
    string? ResponseHeader(string name);
}
