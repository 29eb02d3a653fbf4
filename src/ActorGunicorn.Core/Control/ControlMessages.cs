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
public sealed record StopWorker(bool Graceful) : IControlMessage;

/// <summary>Worker to arbiter: the application is loaded and the worker accepts connections.</summary>
/// <param name="ProcessId">The worker's process id.</param>
public sealed record WorkerReady(int ProcessId) : IControlMessage;

/// <summary>Worker to arbiter, every heartbeat interval: proof of life, with the worker's counters.</summary>
/// <param name="RequestsServed">Requests answered since the worker started.</param>
/// <param name="OpenConnections">Client connections currently open.</param>
/// <param name="ActiveRequests">Requests currently inside the application.</param>
public sealed record WorkerHeartbeat(long RequestsServed, int OpenConnections, int ActiveRequests) : IControlMessage;

/// <summary>Worker to arbiter: the worker has started to drain on its own (for example max-requests was reached).</summary>
/// <param name="Reason">Why, for the arbiter's log.</param>
public sealed record WorkerRetiring(string Reason) : IControlMessage;
