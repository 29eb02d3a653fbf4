using System.Diagnostics;

namespace ActorGunicorn.Workers;

/// <summary>
/// One request while it is inside the application: its exchange, when it started and on which thread. Each exchange
/// owns one for its whole life and links it into <see cref="InFlightRequests"/> per request, so tracking allocates
/// nothing per request.
/// </summary>
internal sealed class InFlightRequest(HttpExchange exchange)
{
    /// <summary>The exchange the request runs in.</summary>
    public HttpExchange Exchange { get; } = exchange;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the application was called; valid while linked.</summary>
    public long StartedTimestamp { get; internal set; }

    /// <summary>The managed thread that called the application.</summary>
    public int ThreadId { get; internal set; }

    internal InFlightRequest? Previous { get; set; }

    internal InFlightRequest? Next { get; set; }

    internal bool Linked { get; set; }
}

/// <summary>
/// The requests a worker is running now, for the heartbeat's longest-request figure, the status table and the
/// request-timeout watchdog. An intrusive list under a lock: two uncontended lock round trips per request and no
/// allocation, and a reader (once a second) sees a consistent set.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly Lock _lock = new();
    private InFlightRequest? _head;
    private int _count;
    private long _finishedTicks;

    /// <summary>How many requests are inside the application now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Links a request as started now, on the calling thread.</summary>
    public void Add(InFlightRequest request)
    {
        request.StartedTimestamp = Stopwatch.GetTimestamp();
        request.ThreadId = Environment.CurrentManagedThreadId;
        lock (_lock)
        {
            if (request.Linked)
            {
                return;
            }

            request.Linked = true;
            request.Previous = null;
            request.Next = _head;
            if (_head is not null)
            {
                _head.Previous = request;
            }

            _head = request;
            _count++;
        }
    }

    /// <summary>Unlinks a finished request; a request not linked is ignored.</summary>
    public void Remove(InFlightRequest request)
    {
        lock (_lock)
        {
            if (!request.Linked)
            {
                return;
            }

            if (request.Previous is not null)
            {
                request.Previous.Next = request.Next;
            }
            else
            {
                _head = request.Next;
            }

            if (request.Next is not null)
            {
                request.Next.Previous = request.Previous;
            }

            request.Previous = request.Next = null;
            request.Linked = false;
            _count--;
            _finishedTicks += Stopwatch.GetTimestamp() - request.StartedTimestamp;
        }
    }

    /// <summary>How long the oldest running request has been running; zero when none runs.</summary>
    public TimeSpan Longest()
    {
        long oldest = long.MaxValue;
        lock (_lock)
        {
            for (var request = _head; request is not null; request = request.Next)
            {
                oldest = Math.Min(oldest, request.StartedTimestamp);
            }
        }

        return oldest == long.MaxValue ? TimeSpan.Zero : Stopwatch.GetElapsedTime(oldest);
    }

    /// <summary>
    /// The time every request has spent listed here, finished ones and the running ones up to now: the worker's load
    /// integrated over its life. Its growth per second is how many requests it held at once on average, which a
    /// sample of <see cref="Count"/> cannot tell (a WSGI worker's heartbeat runs between requests on its busy thread).
    /// </summary>
    public TimeSpan TotalTime()
    {
        long now = Stopwatch.GetTimestamp();
        long ticks;
        lock (_lock)
        {
            ticks = _finishedTicks;
            for (var request = _head; request is not null; request = request.Next)
            {
                ticks += now - request.StartedTimestamp;
            }
        }

        return Stopwatch.GetElapsedTime(0, ticks);
    }

    /// <summary>The requests running for at least <paramref name="age"/>, oldest first.</summary>
    public IReadOnlyList<InFlightRequest> OlderThan(TimeSpan age)
    {
        var found = new List<InFlightRequest>();
        lock (_lock)
        {
            for (var request = _head; request is not null; request = request.Next)
            {
                if (Stopwatch.GetElapsedTime(request.StartedTimestamp) >= age)
                {
                    found.Add(request);
                }
            }
        }

        found.Sort((a, b) => a.StartedTimestamp.CompareTo(b.StartedTimestamp));
        return found;
    }
}
