using System.Buffers.Text;

namespace ActorGunicorn.Http;

/// <summary>
/// The value of the Date header (RFC 9110 5.6.7 IMF-fixdate, e.g. <c>Sun, 06 Nov 1994 08:49:37 GMT</c>), formatted
/// at most once per second of the given clock. Safe to share between threads: each second gets a fresh array.
/// </summary>
public sealed class HttpDate
{
    /// <summary>Length of an IMF-fixdate in bytes.</summary>
    public const int Length = 29;

    private readonly TimeProvider _clock;
    private Cached _cached = new(long.MinValue, new byte[Length]);

    /// <summary>Creates a cache reading <paramref name="clock"/> (use <see cref="TimeProvider.System"/> in production).</summary>
    public HttpDate(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <summary>The current date as header-value bytes.</summary>
    public ReadOnlySpan<byte> GetBytes()
    {
        DateTimeOffset now = _clock.GetUtcNow();
        long second = now.UtcTicks / TimeSpan.TicksPerSecond;
        Cached cached = Volatile.Read(ref _cached);
        if (cached.Second != second)
        {
            byte[] bytes = new byte[Length];
            Format(now, bytes);
            cached = new Cached(second, bytes);
            Volatile.Write(ref _cached, cached);
        }

        return cached.Bytes;
    }

    /// <summary>Formats <paramref name="time"/> as an IMF-fixdate into <paramref name="destination"/> (at least 29 bytes).</summary>
    public static void Format(DateTimeOffset time, Span<byte> destination)
    {
        if (!Utf8Formatter.TryFormat(time.UtcDateTime, destination, out _, new System.Buffers.StandardFormat('R')))
        {
            throw new ArgumentException("The destination needs 29 bytes.", nameof(destination));
        }
    }

    private sealed record Cached(long Second, byte[] Bytes);
}
