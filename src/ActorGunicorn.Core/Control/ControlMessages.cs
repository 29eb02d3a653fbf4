namespace ActorGunicorn.Control;

/// <summary>
/// Marks a message that crosses the process boundary between the arbiter and a worker over the control channel.
/// Every such message has a wire form in <see cref="ControlMessageSerializer"/> and a round-trip test.
/// </summary>
public interface IControlMessage;

/// <summary>Arbiter to worker, first message: everything the worker needs to boot.</summary>
/// <param name="Age">The worker's age: a counter the arbiter increments per spawn (gunicorn's <c>worker.age</c>).</param>
/// <param name="MaxRequests">Requests to serve before retiring, jitter included; 0 means never.</param>
/// <param name="ConfigHocon">The effective configuration as HOCON, from which the worker builds its settings.</param>
public sealed record WorkerBootstrap(int Age, long MaxRequests, string ConfigHocon) : IControlMessage;

/// <summary>Arbiter to worker: stop.</summary>
/// <param name="Graceful">
/// True (gunicorn's SIGTERM): stop accepting, finish in-flight requests within the graceful timeout, then exit.
/// False (SIGQUIT/SIGINT): exit now.
/// </param>
/// <param name="DrainBacklog">
/// True when the whole server stops: before it stops accepting, the worker takes the connections already waiting in
/// the listen backlog, which no other worker will (gunicorn #3397). False when only this worker leaves (recycling,
/// scaling down): the others take the backlog.
/// </param>
public sealed record StopWorker(bool Graceful, bool DrainBacklog = false) : IControlMessage
{
    /// <summary>
    /// The shared listeners (descriptor numbers, the same in every worker) the arbiter has closed to new connections
    /// (<see cref="Transport.ListenerGate"/>): nothing new can queue on them, so the worker takes everything queued
    /// there, not only what was queued when the stop arrived.
    /// </summary>
    public IReadOnlyList<int> GatedListeners { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(StopWorker? other) =>
        other is not null && Graceful == other.Graceful && DrainBacklog == other.DrainBacklog && GatedListeners.SequenceEqual(other.GatedListeners);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Graceful, DrainBacklog, GatedListeners.Count);
}

/// <summary>Worker to arbiter: the application is loaded and the worker accepts connections.</summary>
/// <param name="ProcessId">The worker's process id.</param>
public sealed record WorkerReady(int ProcessId) : IControlMessage;

/// <summary>Worker to arbiter, every heartbeat interval: proof of life, with the worker's counters.</summary>
/// <param name="RequestsServed">Requests answered since the worker started.</param>
/// <param name="OpenConnections">Client connections currently open.</param>
/// <param name="ActiveRequests">Requests currently inside the application.</param>
/// <param name="RssBytes">The worker's resident set size.</param>
/// <param name="LongestRequestMs">How long the oldest running request has run, in milliseconds; 0 when idle.</param>
/// <param name="RequestTimeMs">
/// The time requests have spent in the worker since it started, in milliseconds, the running ones up to now: each from
/// being handed to the application (or to the queue for a free thread) to its end. Its growth over an interval,
/// divided by the interval, is how many requests the worker held at once on average: the arbiter's measure of load.
/// </param>
public sealed record WorkerHeartbeat(long RequestsServed, int OpenConnections, int ActiveRequests, long RssBytes, long LongestRequestMs, long RequestTimeMs) : IControlMessage;

/// <summary>
/// Worker to arbiter: replace me (max-requests reached, a request overran its timeout). The worker keeps serving
/// until the arbiter has a replacement ready and stops it, so recycling never lowers capacity.
/// </summary>
/// <param name="Reason">Why, for the arbiter's log.</param>
public sealed record RecycleRequested(string Reason) : IControlMessage;
