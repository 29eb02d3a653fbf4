using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ActorGunicorn.Metrics;

/// <summary>
/// gunicorn's StatsD instrumentation (<c>--statsd-host</c>): the same metric names and types, sent over UDP (or a
/// Unix datagram socket) so that a slow or absent StatsD never holds the server up; a send that fails is dropped.
/// </summary>
public sealed class StatsdClient : IDisposable
{
    private readonly Socket _socket;
    private readonly string _prefix;
    private readonly string _tags;

    /// <summary>Connects to <paramref name="address"/>.</summary>
    /// <param name="address">Where StatsD listens.</param>
    /// <param name="prefix">gunicorn's <c>statsd_prefix</c>: put before every name, with one dot after it.</param>
    /// <param name="dogstatsdTags">gunicorn's <c>dogstatsd_tags</c>, comma-separated; empty for none.</param>
    /// <exception cref="SocketException">The host cannot be resolved or the socket cannot be connected.</exception>
    public StatsdClient(StatsdAddress address, string prefix, string dogstatsdTags)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(prefix);
        _socket = address.Connect();
        _socket.Blocking = false;
        _prefix = PrefixWithDot(prefix);
        _tags = string.IsNullOrEmpty(dogstatsdTags) ? string.Empty : "|#" + dogstatsdTags;
    }

    /// <summary>gunicorn's prefix rule: a non-empty prefix ends with exactly one dot (<c>app</c> and <c>app..</c> become <c>app.</c>).</summary>
    public static string PrefixWithDot(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = prefix.TrimEnd('.');
        return trimmed.Length > 0 ? trimmed + "." : string.Empty;
    }

    /// <summary>A finished request: <c>gunicorn.request.duration</c> (ms), <c>gunicorn.requests</c> and <c>gunicorn.request.status.NNN</c>, in one datagram.</summary>
    /// <param name="status">The response status.</param>
    /// <param name="duration">The time from the request's head to its last byte.</param>
    public void RequestFinished(int status, TimeSpan duration) =>
        Send(
            Line("gunicorn.request.duration", duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture), "ms")
            + "\n" + Line("gunicorn.requests", "1", "c")
            + "\n" + Line("gunicorn.request.status." + status.ToString(CultureInfo.InvariantCulture), "1", "c"));

    /// <summary>A counter: <c>NAME:VALUE|c</c>.</summary>
    public void Increment(string name, long value = 1) => Send(Line(name, value.ToString(CultureInfo.InvariantCulture), "c"));

    /// <summary>A gauge: <c>NAME:VALUE|g</c>.</summary>
    public void Gauge(string name, long value) => Send(Line(name, value.ToString(CultureInfo.InvariantCulture), "g"));

    /// <summary>The client for <paramref name="settings"/>, or null when <c>statsd_host</c> is not set or cannot be reached.</summary>
    /// <param name="settings">The server's settings.</param>
    /// <param name="problem">Told why, when the address is set but cannot be connected (as gunicorn, the server runs on without metrics).</param>
    public static StatsdClient? Create(Configuration.ServerSettings settings, Action<string> problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problem);
        if (settings.StatsdHost is null || !StatsdAddress.TryParse(settings.StatsdHost, out var address, out _))
        {
            return null;
        }

        try
        {
            return new StatsdClient(address, settings.StatsdPrefix, settings.DogstatsdTags);
        }
        catch (SocketException ex)
        {
            problem($"--statsd-host {address}: {ex.Message}; no metrics are sent");
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private string Line(string name, string value, string type) => $"{_prefix}{name}:{value}|{type}{_tags}";

    // UDP: a refused port (ICMP), a full buffer or a vanished Unix socket loses the metric, never the request.
    private void Send(string datagram)
    {
        try
        {
            _socket.Send(Encoding.UTF8.GetBytes(datagram), SocketFlags.None, out _);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
