namespace ActorGunicorn.Arbitration;

/// <summary>What the arbiter knows about one worker when it decides; a snapshot, not live state.</summary>
/// <param name="Id">The arbiter's key for the worker (stable across the worker's respawns).</param>
/// <param name="Pid">The process id, or 0 while it is being spawned.</param>
/// <param name="Age">The spawn counter value: lower is older.</param>
/// <param name="LastSeenMs">Monotonic milliseconds of the last heartbeat (or of the spawn).</param>
/// <param name="Aborted">True once SIGABRT was sent for a timeout.</param>
/// <param name="Leaving">True once the worker is retiring or was told to stop: it no longer counts as capacity.</param>
internal readonly record struct WorkerView(int Id, int Pid, int Age, long LastSeenMs, bool Aborted, bool Leaving);

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
    /// gunicorn's <c>manage_workers</c>: spawn up to the desired count; above it, retire the oldest first. Workers
    /// already leaving are not capacity, so a retiring worker's replacement starts at once.
    /// </summary>
    public static WorkerCountPlan ManageWorkers(int desired, IReadOnlyCollection<WorkerView> workers)
    {
        var serving = workers.Where(w => !w.Leaving).OrderBy(w => w.Age).ToList();
        if (serving.Count < desired)
        {
            return new WorkerCountPlan(desired - serving.Count, []);
        }

        var retire = serving.Take(serving.Count - desired).Select(w => w.Id).ToList();
        return new WorkerCountPlan(0, retire);
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
    /// gunicorn's <c>reap_workers</c> policy for an exit nobody asked for: exit code 3 halts with "Worker failed to
    /// boot.", 4 with "App failed to load." (never a crash loop); otherwise respawn, unless the server is stopping.
    /// </summary>
    public static ExitDecision OnUnexpectedExit(WorkerExit exit, bool serverStopping) => exit.ExitCode switch
    {
        ExitCodes.WorkerBootError => new ExitDecision.Halt(ExitCodes.WorkerBootError, "Worker failed to boot."),
        ExitCodes.AppLoadError => new ExitDecision.Halt(ExitCodes.AppLoadError, "App failed to load."),
        _ when serverStopping => new ExitDecision.Forget(),
        _ => new ExitDecision.Respawn(),
    };

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
