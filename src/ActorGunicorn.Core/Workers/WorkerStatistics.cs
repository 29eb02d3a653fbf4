namespace ActorGunicorn.Workers;

/// <summary>
/// The worker's counters, updated by acceptors and invokers and read by the heartbeat and the load board. Plain
/// interlocked counters, not messages: they are touched once per request or connection.
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
        Balancer?.PostActiveRequests(InFlight.Count);
        return Interlocked.Increment(ref _requestsServed);
    }

    /// <summary>Counts a request handed to the application.</summary>
    public void RequestStarted(InFlightRequest request)
    {
        InFlight.Add(request);
        Balancer?.PostActiveRequests(InFlight.Count);
    }

    /// <summary>The load board, told how many connections the worker holds; null without one.</summary>
    public AcceptBalancer? Balancer { get; init; }

    /// <summary>Counts an accepted connection (the acceptor, as it accepts).</summary>
    public void ConnectionOpened()
    {
        int open = Interlocked.Increment(ref _openConnections);
        Balancer?.PostOpenConnections(open);
    }

    /// <summary>Counts a closed connection (the acceptor, as it learns of the close).</summary>
    public void ConnectionClosed()
    {
        int open = Interlocked.Decrement(ref _openConnections);
        Balancer?.PostOpenConnections(open);
    }
}
