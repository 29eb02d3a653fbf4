namespace ActorGunicorn.Arbitration;

/// <summary>What the arbiter works with besides its settings: collaborators passed in, so tests can stand in for them.</summary>
/// <param name="Spawner">Starts worker processes.</param>
/// <param name="Log">The error log.</param>
internal sealed record ArbiterServices(IWorkerSpawner Spawner, Microsoft.Extensions.Logging.ILogger Log)
{
    /// <summary>
    /// Reads the configuration again for a reload (SIGHUP), as the given generation; throws
    /// <see cref="Configuration.SettingsException"/> when it is invalid. Null: a reload restarts the workers with the
    /// configuration they have.
    /// </summary>
    public Func<int, WorkerGeneration>? ReadConfiguration { get; init; }

    /// <summary>Reopens the arbiter's own log files (SIGUSR1); null when it writes to none.</summary>
    public Action? ReopenLogFiles { get; init; }

    /// <summary>The binary upgrade (USR2, promotion); null where the arbiter cannot re-execute itself (specs).</summary>
    public BinaryUpgrade? Upgrade { get; init; }

    /// <summary>
    /// The listeners' gates, closed when the whole server stops (null in specs without real listeners): the workers
    /// are told which, and take everything queued there.
    /// </summary>
    public Transport.ListenerGates? ListenerGates { get; init; }

    /// <summary>
    /// How many connections wait in the accept queues of the listeners the workers share (null, or a null answer:
    /// no listener can tell, as for Unix sockets and <c>--reuse-port</c>). Read once a tick, and only for load
    /// scaling (<c>--max-workers</c>).
    /// </summary>
    public Func<int?>? QueuedConnections { get; init; }

    /// <summary>StatsD (<c>--statsd-host</c>), told the number of workers whenever it changes; null without it.</summary>
    public Metrics.StatsdClient? Statsd { get; init; }

    /// <summary>The server hooks: nworkers_changed, on_reload and child_exit here, pre_fork in the spawner.</summary>
    public Hooks.ArbiterHooks Hooks { get; init; } = ActorGunicorn.Hooks.ArbiterHooks.None;
}
