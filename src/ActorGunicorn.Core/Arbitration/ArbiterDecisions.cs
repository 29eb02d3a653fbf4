namespace ActorGunicorn.Arbitration;

/// <summary>Where a worker is in its life, as the arbiter sees it.</summary>
internal enum WorkerPhase
{
    /// <summary>Spawned (or waiting for its respawn back-off); not serving yet.</summary>
    Booting,

    /// <summary>Loaded its application and serves.</summary>
    Running,

    /// <summary>Told to stop: it finishes its requests and exits. Not capacity any more.</summary>
    Leaving,
}

/// <summary>What the arbiter knows about one worker when it decides; a snapshot, not live state.</summary>
/// <param name="Id">The arbiter's key for the worker (stable across the worker's respawns).</param>
/// <param name="Pid">The process id, or 0 while it is being spawned.</param>
/// <param name="Age">The spawn counter value: lower is older.</param>
/// <param name="LastSeenMs">Monotonic milliseconds of the last heartbeat (or of the spawn).</param>
/// <param name="Aborted">True once SIGABRT was sent for a timeout.</param>
/// <param name="Phase">Booting, Running or Leaving.</param>
/// <param name="Replaceable">
/// True when the worker should give way to a fresh one: it belongs to the configuration before a reload, or it is
/// being recycled (max-requests, memory, lifetime, a request timeout). It serves until its replacement does.
/// </param>
/// <param name="Load">
/// How many requests the worker held at once on average over its last heartbeat interval (requests waiting for one
/// of its threads included), from <see cref="Control.WorkerHeartbeat.RequestTimeMs"/>; null until it has served and
/// reported for a while.
/// </param>
internal readonly record struct WorkerView(int Id, int Pid, int Age, long LastSeenMs, bool Aborted, WorkerPhase Phase, bool Replaceable = false, double? Load = null)
{
    /// <summary>True once the worker was told to stop.</summary>
    public bool Leaving => Phase == WorkerPhase.Leaving;
}

/// <summary>The outcome of <see cref="ArbiterDecisions.ManageWorkers"/>.</summary>
/// <param name="Spawn">How many workers to start.</param>
/// <param name="Retire">The workers to stop gracefully, oldest first.</param>
internal sealed record WorkerCountPlan(int Spawn, IReadOnlyList<int> Retire);

/// <summary>The bounds and pace of load scaling, from the settings.</summary>
/// <param name="Floor">The fewest workers: <c>--workers</c>, as TTIN, TTOU and the control socket left it.</param>
/// <param name="Ceiling">The most workers load may bring: <c>--max-workers</c> (a floor raised past it by hand wins).</param>
/// <param name="Threads">Each worker's <c>--threads</c>.</param>
/// <param name="ScaleDownAfter">How long the load must stay low before a worker leaves (<c>--scale-down-after</c>).</param>
/// <param name="Tick">The arbiter's tick interval, the time one pressure tick stands for.</param>
internal sealed record ScalingLimits(int Floor, int Ceiling, int Threads, TimeSpan ScaleDownAfter, TimeSpan Tick);

/// <summary>What load scaling remembers from one tick to the next.</summary>
/// <param name="PressureTicks">Consecutive ticks at which requests waited.</param>
/// <param name="CalmSinceMs">Since when (monotonic ms) the load has fitted in one worker fewer; null when it does not.</param>
/// <param name="Idle">Whether no request at all ran since <paramref name="CalmSinceMs"/>.</param>
internal readonly record struct ScalingState(int PressureTicks, long? CalmSinceMs, bool Idle)
{
    /// <summary>Nothing observed yet: after a change of the worker count, or while one is under way.</summary>
    public static ScalingState Fresh => default;
}

/// <summary>The outcome of <see cref="ArbiterDecisions.ScaleWorkers"/>.</summary>
/// <param name="Workers">How many workers the arbiter should aim for now; the current number when nothing changes.</param>
/// <param name="State">What to remember for the next tick.</param>
/// <param name="Reason">Why the number changed, for the log line; null when it did not.</param>
internal sealed record ScaleDecision(int Workers, ScalingState State, string? Reason);

/// <summary>A timeout action from <see cref="ArbiterDecisions.MurderWorkers"/>.</summary>
/// <param name="Id">The worker.</param>
/// <param name="Kill">False: first offence, send SIGABRT. True: still silent after the abort, send SIGKILL.</param>
internal readonly record struct TimeoutAction(int Id, bool Kill);

/// <summary>How the arbiter reacts to a worker process that exited without being asked to.</summary>
internal abstract record ExitDecision
{
    private ExitDecision()
    {
    }

    /// <summary>Start a replacement (the supervisor restarts the worker's actor, which spawns a new process).</summary>
    public sealed record Respawn : ExitDecision;

    /// <summary>Start a replacement after a pause: a worker that failed to boot, with --respawn-failed-workers.</summary>
    /// <param name="Delay">The back-off before the new process starts.</param>
    public sealed record RespawnAfter(TimeSpan Delay) : ExitDecision;

    /// <summary>A worker of a reloaded configuration failed to boot: go back to the previous one, which still serves.</summary>
    /// <param name="Reason">gunicorn's reason text.</param>
    public sealed record AbandonReload(string Reason) : ExitDecision;

    /// <summary>Stop the whole server with this exit code, as gunicorn does for boot and app-load failures.</summary>
    /// <param name="ExitCode">3 or 4.</param>
    /// <param name="Reason">gunicorn's reason text.</param>
    public sealed record Halt(int ExitCode, string Reason) : ExitDecision;

    /// <summary>Let it go: the server is stopping anyway.</summary>
    public sealed record Forget : ExitDecision;
}

/// <summary>How a worker process ended, as the arbiter observed it.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="ExitCode">The exit code; .NET reports a death by signal N as 128 + N.</param>
internal readonly record struct WorkerExit(int Pid, int ExitCode)
{
    /// <summary>The signal that killed the process, if the exit code says it was one.</summary>
    public int? Signal => ExitCode is > 128 and < 128 + 65 ? ExitCode - 128 : null;
}

/// <summary>
/// The arbiter's decisions as pure functions, one per step of gunicorn's master loop, so each is tested without an
/// actor system or a process: <c>manage_workers</c>, <c>murder_workers</c>, the exit classification of
/// <c>reap_workers</c>, and the per-worker <c>max_requests</c> with jitter.
/// </summary>
internal static class ArbiterDecisions
{
    /// <summary>
    /// gunicorn's <c>manage_workers</c>, with replacement before retirement: spawn until <paramref name="desired"/>
    /// workers that are not replaceable exist; retire a replaceable worker only once a serving replacement covers
    /// it, so capacity never drops below the desired count (gunicorn #2443); above the count, retire the oldest.
    /// Workers already leaving are not capacity.
    /// </summary>
    public static WorkerCountPlan ManageWorkers(int desired, IReadOnlyCollection<WorkerView> workers)
    {
        var active = workers.Where(w => !w.Leaving).ToList();
        var keepers = active.Where(w => !w.Replaceable).OrderBy(w => w.Age).ToList();
        var replaceable = active.Where(w => w.Replaceable).OrderBy(w => w.Age).ToList();
        int spawn = Math.Max(0, desired - keepers.Count);

        // Each serving keeper covers one replaceable worker; those not serving yet go first, then the oldest. A
        // replaceable worker still booting is kept until covered too: it may be the only one about to serve.
        int servingKeepers = keepers.Count(w => w.Phase == WorkerPhase.Running);
        int covered = Math.Clamp(servingKeepers + replaceable.Count - desired, 0, replaceable.Count);
        var retire = replaceable
            .OrderBy(w => w.Phase == WorkerPhase.Running ? 1 : 0)
            .ThenBy(w => w.Age)
            .Take(covered)
            .Select(w => w.Id)
            .ToList();

        if (keepers.Count > desired)
        {
            retire.AddRange(keepers.Take(keepers.Count - desired).Select(w => w.Id));
        }

        return new WorkerCountPlan(spawn, retire);
    }

    /// <summary>Consecutive ticks of pressure before a worker is added: a one-tick spike adds none.</summary>
    public const int ScaleUpTicks = 2;

    /// <summary>
    /// The share of its threads' time a worker must have held requests for to count as busy. Not 1: between two
    /// requests a thread spends a little time outside any (reading the next head, writing the last response), and
    /// a worker busy 90% of the time already makes requests wait.
    /// </summary>
    public const double BusyShare = 0.9;

    /// <summary>
    /// The load, as a share of one worker fewer's threads, under which a worker may leave: at most half busy leaves
    /// room for the load to grow by half before it would be added back, so a steady load does not make the count
    /// go up and down.
    /// </summary>
    public const double CalmShare = 0.5;

    /// <summary>
    /// Load scaling, uWSGI's "cheaper" subsystem, decided once a tick between <see cref="ScalingLimits.Floor"/> and
    /// <see cref="ScalingLimits.Ceiling"/>. Requests wait when every serving worker was busy (its load at least
    /// <see cref="BusyShare"/> of its threads) or connections wait in a shared listener's accept queue; after
    /// <see cref="ScaleUpTicks"/> such ticks in a row one worker is added. The load fits in one worker fewer when
    /// their total is at most <see cref="CalmShare"/> of that many workers' threads; once it has for
    /// <see cref="ScalingLimits.ScaleDownAfter"/>, one worker leaves. Nothing is decided, and nothing remembered,
    /// while the count is in motion: a worker booting (the one just added: one at a time), one being replaced
    /// (reload, recycling), one whose load is not measured yet, or no worker wanted at all (WINCH).
    /// </summary>
    /// <param name="limits">The floor, the ceiling, the threads per worker and the pace.</param>
    /// <param name="current">How many workers the arbiter aims for now.</param>
    /// <param name="workers">Every worker; leaving ones are not capacity and are ignored.</param>
    /// <param name="queuedConnections">Connections waiting in the shared listeners' accept queues; null when no listener can tell.</param>
    /// <param name="state">What the previous tick remembered.</param>
    /// <param name="nowMs">Monotonic milliseconds now.</param>
    public static ScaleDecision ScaleWorkers(ScalingLimits limits, int current, IReadOnlyCollection<WorkerView> workers, int? queuedConnections, ScalingState state, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var serving = workers.Where(w => !w.Leaving).ToList();
        if (current == 0 || serving.Count == 0 || serving.Any(w => w.Phase != WorkerPhase.Running || w.Replaceable || w.Load is null))
        {
            return new ScaleDecision(current, ScalingState.Fresh, null);
        }

        bool allBusy = serving.All(w => w.Load >= BusyShare * limits.Threads);
        if (allBusy || queuedConnections > 0)
        {
            int ticks = state.PressureTicks + 1;
            if (ticks < ScaleUpTicks || current >= Math.Max(limits.Floor, limits.Ceiling))
            {
                return new ScaleDecision(current, new ScalingState(ticks, null, Idle: false), null);
            }

            string seconds = Seconds(ticks * limits.Tick);
            string reason = !allBusy ? $"connections waiting to be accepted for {seconds}"
                : serving.Count == 1 ? $"its one worker busy for {seconds}"
                : $"all {serving.Count} workers busy for {seconds}";
            return new ScaleDecision(current + 1, ScalingState.Fresh, reason);
        }

        double load = serving.Sum(w => w.Load!.Value);
        if (current <= limits.Floor || load > CalmShare * (current - 1) * limits.Threads)
        {
            return new ScaleDecision(current, ScalingState.Fresh, null);
        }

        var calm = state.CalmSinceMs is { } since
            ? new ScalingState(0, since, state.Idle && load == 0)
            : new ScalingState(0, nowMs, load == 0);
        if (nowMs - calm.CalmSinceMs < (long)limits.ScaleDownAfter.TotalMilliseconds)
        {
            return new ScaleDecision(current, calm, null);
        }

        string period = Seconds(limits.ScaleDownAfter);
        return new ScaleDecision(
            current - 1,
            ScalingState.Fresh,
            calm.Idle ? $"idle for {period}" : $"{current - 1} {(current - 1 == 1 ? "worker" : "workers")} enough for {period}");
    }

    private static string Seconds(TimeSpan duration) => Configuration.Durations.FormatSeconds(duration) + " s";

    /// <summary>
    /// gunicorn's <c>murder_workers</c>: a worker silent for longer than <paramref name="timeout"/> gets SIGABRT; if it
    /// is still silent on a later pass, SIGKILL. A zero timeout disables the check.
    /// </summary>
    public static IReadOnlyList<TimeoutAction> MurderWorkers(TimeSpan timeout, long nowMs, IReadOnlyCollection<WorkerView> workers)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return [];
        }

        var limit = (long)timeout.TotalMilliseconds;
        return workers
            .Where(w => w.Pid != 0 && nowMs - w.LastSeenMs > limit)
            .Select(w => new TimeoutAction(w.Id, Kill: w.Aborted))
            .ToList();
    }

    /// <summary>
    /// gunicorn's <c>reap_workers</c> policy for an exit nobody asked for. Exit code 3 ("Worker failed to boot.") or 4
    /// ("App failed to load.") halts the server, never a crash loop, unless: the worker belongs to a reload in
    /// progress (the previous workers still serve, so the reload is abandoned), or <c>--respawn-failed-workers</c> is
    /// on (respawn after an exponential back-off). Any other exit is respawned at once, unless the server is stopping.
    /// A worker of a reload already abandoned is on its way out whatever its exit: it is forgotten (its siblings of
    /// the same bad deploy fail too, and one of them must not halt the server the first one's failure spared).
    /// </summary>
    /// <param name="exit">How the process ended.</param>
    /// <param name="serverStopping">True once the arbiter is stopping.</param>
    /// <param name="fromPendingReload">True when the worker was started by a reload whose old workers still serve.</param>
    /// <param name="fromAbandonedReload">True when the worker was started by a reload since abandoned.</param>
    /// <param name="respawnFailedWorkers">The <c>--respawn-failed-workers</c> setting.</param>
    /// <param name="failedBoots">Consecutive boot failures of this worker slot, this one included.</param>
    public static ExitDecision OnUnexpectedExit(
        WorkerExit exit, bool serverStopping, bool fromPendingReload = false, bool fromAbandonedReload = false, bool respawnFailedWorkers = false, int failedBoots = 1)
    {
        if (serverStopping || fromAbandonedReload)
        {
            return new ExitDecision.Forget();
        }

        string? bootFailure = exit.ExitCode switch
        {
            ExitCodes.WorkerBootError => "Worker failed to boot.",
            ExitCodes.AppLoadError => "App failed to load.",
            _ => null,
        };
        if (bootFailure is null)
        {
            return new ExitDecision.Respawn();
        }

        if (fromPendingReload)
        {
            return new ExitDecision.AbandonReload(bootFailure);
        }

        return respawnFailedWorkers
            ? new ExitDecision.RespawnAfter(RespawnBackoff(failedBoots))
            : new ExitDecision.Halt(exit.ExitCode, bootFailure);
    }

    /// <summary>The longest pause between respawns of a worker that keeps failing to boot.</summary>
    public static readonly TimeSpan MaxRespawnBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The pause before respawning a worker that failed to boot <paramref name="failedBoots"/> times in a row: 1 s,
    /// doubling per failure, capped at <see cref="MaxRespawnBackoff"/>. A fixed deploy error then costs one boot
    /// attempt every 30 s instead of a crash loop, and a transient one (a database not up yet) heals by itself.
    /// </summary>
    public static TimeSpan RespawnBackoff(int failedBoots)
    {
        int doublings = Math.Clamp(failedBoots - 1, 0, 5);
        var delay = TimeSpan.FromSeconds(1 << doublings);
        return delay < MaxRespawnBackoff ? delay : MaxRespawnBackoff;
    }

    /// <summary>
    /// Why a running worker should be recycled now, or null: its resident memory is above
    /// <paramref name="maxMemoryBytes"/>, or it has lived past its deadline (<c>--max-worker-lifetime</c>). Zero limits
    /// are off.
    /// </summary>
    public static string? RecycleReason(long maxMemoryBytes, long? residentBytes, long lifetimeDeadlineMs, long nowMs)
    {
        if (maxMemoryBytes > 0 && residentBytes > maxMemoryBytes)
        {
            return $"max-worker-memory: RSS {FormatMegabytes(residentBytes.Value)} is above {FormatMegabytes(maxMemoryBytes)}";
        }

        return lifetimeDeadlineMs > 0 && nowMs >= lifetimeDeadlineMs ? "max-worker-lifetime reached" : null;
    }

    /// <summary>
    /// When a worker spawned at <paramref name="spawnedMs"/> reaches <c>--max-worker-lifetime</c>, plus up to a tenth
    /// more drawn per worker, so workers started together are not all replaced together. 0 when the limit is off.
    /// </summary>
    public static long LifetimeDeadline(TimeSpan lifetime, long spawnedMs, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (lifetime <= TimeSpan.Zero)
        {
            return 0;
        }

        long limitMs = (long)lifetime.TotalMilliseconds;
        return spawnedMs + limitMs + random.NextInt64(0, (limitMs / 10) + 1);
    }

    private static string FormatMegabytes(long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB");

    /// <summary>
    /// gunicorn's per-worker request budget: <c>max_requests + randint(0, jitter)</c>, fixed at spawn; 0 means never.
    /// </summary>
    public static long MaxRequestsFor(int maxRequests, int jitter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return maxRequests <= 0 ? 0 : maxRequests + random.Next(0, Math.Max(jitter, 0) + 1);
    }

    /// <summary>gunicorn's log line for a worker exit, with our own wording where we know more (our timeout kill).</summary>
    /// <param name="exit">The exit.</param>
    /// <param name="killedForTimeout">True if the arbiter itself sent SIGKILL after a timeout.</param>
    public static (Microsoft.Extensions.Logging.LogLevel Level, string Message) DescribeExit(WorkerExit exit, bool killedForTimeout)
    {
        const int sigKill = 9, sigTerm = 15;
        return exit.Signal switch
        {
            sigKill when killedForTimeout => (Microsoft.Extensions.Logging.LogLevel.Error, $"Worker (pid:{exit.Pid}) was sent SIGKILL after its timeout."),
            sigKill => (Microsoft.Extensions.Logging.LogLevel.Error, $"Worker (pid:{exit.Pid}) was sent SIGKILL! Perhaps out of memory?"),
            sigTerm => (Microsoft.Extensions.Logging.LogLevel.Information, $"Worker (pid:{exit.Pid}) was sent SIGTERM!"),
            int signal => (Microsoft.Extensions.Logging.LogLevel.Warning, $"Worker (pid:{exit.Pid}) was sent {SignalName(signal)}!"),
            null when exit.ExitCode != 0 => (Microsoft.Extensions.Logging.LogLevel.Error, $"Worker (pid:{exit.Pid}) exited with code {exit.ExitCode}."),
            null => (Microsoft.Extensions.Logging.LogLevel.Information, $"Worker (pid:{exit.Pid}) exited."),
        };
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        11 => "SIGSEGV",
        _ => $"signal {signal}",
    };
}
