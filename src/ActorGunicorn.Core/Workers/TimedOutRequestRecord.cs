using ActorGunicorn.Logging;

namespace ActorGunicorn.Workers;

/// <summary>
/// The access-log line of a request the request-timeout watchdog answered, written on the watchdog's thread while
/// the application may still run: request atoms come from the request head (which does not change while the request
/// runs), the response atoms are the watchdog's (its status; no response headers, which the application may still be
/// editing).
/// </summary>
internal sealed class TimedOutRequestRecord(HttpExchange exchange, int statusCode, long bytesSent, TimeSpan duration) : IAccessLogRecord
{
    public string? RemoteAddress => exchange.RemoteAddress;

    public string? BasicAuthUser => exchange.BasicAuthUser;

    public DateTimeOffset StartTime => exchange.StartTime;

    public TimeSpan Duration => duration;

    public string Method => exchange.Method;

    public string RawTarget => exchange.RawTarget;

    // Not the exchange's Path: its cache belongs to the application's thread.
    public string Path => RequestTarget.Decode(exchange.Head.PathBytes);

    public string QueryString => exchange.QueryString;

    public string Protocol => exchange.Protocol;

    public int StatusCode => statusCode;

    public long BytesSent => bytesSent;

    public string? RequestHeader(string name) => exchange.RequestHeader(name);

    public string? ResponseHeader(string name) => null;
}
