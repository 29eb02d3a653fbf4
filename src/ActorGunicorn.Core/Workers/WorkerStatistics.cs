namespace ActorGunicorn.Workers;

/// <summary>
/// The worker's counters, updated by connections and invokers and read by the heartbeat. Plain interlocked counters,
/// not messages: they are metrics, touched once per request, and nothing decides on them but the request budget.
/// </summary>
internal sealed class WorkerStatistics
{
    private long _requestsServed;
    private int _openConnections;

    /// <summary>Requests answered since the worker started.</summary>
    public long RequestsServed => Volatile.Read(ref _requestsServed);

    /// <summary>Client connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Requests inside the application now.</summary>
    public int ActiveRequests => InFlight.Count;

    /// <summary>The requests inside the application now, with their start times.</summary>
    public InFlightRequests InFlight { get; } = new();

    /// <summary>Counts a finished request and returns the new total.</summary>
    public long RequestFinished(InFlightRequest request)
    {
        InFlight.Remove(request);
        return Interlocked.Increment(ref _requestsServed);
    }

    /// <summary>Counts a request handed to the application.</summary>
    public void RequestStarted(InFlightRequest request) => InFlight.Add(request);

    /// <summary>Counts an accepted connection.</summary>
    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    /// <summary>Counts a closed connection.</summary>
    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);
}
