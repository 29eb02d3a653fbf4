using Akka.Actor;
using ActorGunicorn.Arbitration.Internal;
using ActorGunicorn.Hooks;
using ActorGunicorn.Control;

namespace ActorGunicorn.Arbitration;

/// <summary>
/// The arbiter's child actor for one worker process: it spawns the process, relays its control-channel messages to
/// the arbiter, and fails with <see cref="WorkerProcessExitedException"/> when the process dies unasked, so that the
/// arbiter's supervisor strategy decides between respawning (restart) and halting.
/// </summary>
internal static class WorkerProcess
{
    /// <summary>Props for one worker slot.</summary>
    /// <param name="id">The arbiter's key for this slot, kept across respawns.</param>
    /// <param name="spawner">Starts the OS process.</param>
    /// <param name="log">The error log.</param>
    /// <param name="generation">The configuration the worker runs, kept across respawns.</param>
    /// <param name="hooks">The server hooks (child_exit); none when null.</param>
    public static Props Props(int id, IWorkerSpawner spawner, WorkerGeneration generation, Microsoft.Extensions.Logging.ILogger log, ArbiterHooks? hooks = null) =>
        Akka.Actor.Props.Create(() => new WorkerProcessActor(id, spawner, generation, log, hooks ?? ArbiterHooks.None));

    /// <summary>Command: stop the worker. Graceful finishes in-flight requests; otherwise it exits at once.</summary>
    /// <param name="Graceful">gunicorn's SIGTERM (true) or SIGQUIT (false).</param>
    /// <param name="DrainBacklog">True when the whole server stops: the worker takes the listen backlog first.</param>
    /// <param name="GatedListeners">The listeners closed to new connections for the stop (<see cref="Control.StopWorker.GatedListeners"/>).</param>
    public sealed record Stop(bool Graceful, bool DrainBacklog = false, IReadOnlyList<int>? GatedListeners = null);

    /// <summary>Command: send a signal to the process (SIGABRT or SIGKILL on timeout).</summary>
    /// <param name="SignalNumber">The signal number.</param>
    public sealed record SendSignal(int SignalNumber);

    /// <summary>Command: tell the worker to reopen its log files (SIGUSR1), if it is running.</summary>
    public sealed record ReopenLogs
    {
        /// <summary>The single instance.</summary>
        public static readonly ReopenLogs Instance = new();

        private ReopenLogs()
        {
        }
    }

    /// <summary>Event to the arbiter: a process was started for the slot.</summary>
    public sealed record Spawned(int Id, int Pid, int Age);

    /// <summary>Event to the arbiter: the worker loaded the application and accepts connections.</summary>
    public sealed record Ready(int Id, int Pid);

    /// <summary>Event to the arbiter: a heartbeat arrived, with the worker's counters.</summary>
    public sealed record Heartbeat(int Id, WorkerHeartbeat Beat);

    /// <summary>Event to the arbiter: the worker asks to be replaced (max-requests, a request timeout); it serves on.</summary>
    public sealed record RecycleRequested(int Id, string Reason);
}

/// <summary>A worker process exited without being asked to; the arbiter's supervisor strategy handles it.</summary>
internal sealed class WorkerProcessExitedException : Exception
{
    public WorkerProcessExitedException(int id, WorkerExit exit)
        : base($"worker (pid:{exit.Pid}) exited with code {exit.ExitCode}")
    {
        Id = id;
        Exit = exit;
    }

    public WorkerProcessExitedException()
    {
    }

    public WorkerProcessExitedException(string message)
        : base(message)
    {
    }

    public WorkerProcessExitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The worker slot.</summary>
    public int Id { get; }

    /// <summary>How the process ended.</summary>
    public WorkerExit Exit { get; }

    /// <summary>
    /// Set by the arbiter's decider when it restarts the slot after a back-off: the restarted actor waits this long
    /// before it spawns the new process.
    /// </summary>
    public TimeSpan RespawnDelay { get; set; }
}
