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
internal readonly record struct WorkerView(int Id, int Pid, int Age, long LastSeenMs, bool Aborted, WorkerPhase Phase, bool Replaceable = false)
{
    /// <summary>True once the worker was told to stop.</summary>
    public bool Leaving => Phase == WorkerPhase.Leaving;
}

/// <summary>The outcome of <see cref="ArbiterDecisions.ManageWorkers"/>.</summary>
/// <param name="Spawn">How many workers to start.</param>
/// <param name="Retire">The workers to stop gracefully, oldest first.</param>
internal sealed record WorkerCountPlan(int Spawn, IReadOnlyList<int> Retire);

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
    /// </summary>
    /// <param name="exit">How the process ended.</param>
    /// <param name="serverStopping">True once the arbiter is stopping.</param>
    /// <param name="fromPendingReload">True when the worker was started by a reload whose old workers still serve.</param>
    /// <param name="respawnFailedWorkers">The <c>--respawn-failed-workers</c> setting.</param>
    /// <param name="failedBoots">Consecutive boot failures of this worker slot, this one included.</param>
    public static ExitDecision OnUnexpectedExit(WorkerExit exit, bool serverStopping, bool fromPendingReload = false, bool respawnFailedWorkers = false, int failedBoots = 1)
    {
        if (serverStopping)
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
