using Akka.Actor;
using ActorGunicorn.Arbitration.Internal;
using ActorGunicorn.Configuration;
using ActorGunicorn.Hooks;

namespace ActorGunicorn.Arbitration;

/// <summary>
/// The arbiter: gunicorn's master loop as an actor. It owns no client socket; it keeps one child actor per worker
/// process, turns signals (delivered as <see cref="SignalReceived"/>) into gunicorn's handlers, and on a one-second
/// tick runs <c>MurderWorkers</c> (timeouts), <c>RecycleWorkers</c> (memory, lifetime), <c>ScaleWorkers</c> (load)
/// and <c>ManageWorkers</c> (desired vs actual count).
/// </summary>
public static class Arbiter
{
    /// <summary>Props for the arbiter.</summary>
    /// <param name="settings">The server settings.</param>
    /// <param name="spawner">Starts worker processes.</param>
    /// <param name="outcome">Completed with the exit code when the arbiter has stopped every worker.</param>
    /// <param name="log">The error log.</param>
    internal static Props Props(ServerSettings settings, IWorkerSpawner spawner, TaskCompletionSource<ArbiterOutcome> outcome, Microsoft.Extensions.Logging.ILogger log) =>
        Props(new WorkerGeneration(1, settings, string.Empty), new ArbiterServices(spawner, log), outcome);

    /// <summary>Props for the arbiter.</summary>
    /// <param name="configuration">The configuration the first workers start with (generation 1).</param>
    /// <param name="services">The spawner, the log, and how to reload the configuration and reopen log files.</param>
    /// <param name="outcome">Completed with the exit code when the arbiter has stopped every worker.</param>
    internal static Props Props(WorkerGeneration configuration, ArbiterServices services, TaskCompletionSource<ArbiterOutcome> outcome) =>
        Akka.Actor.Props.Create(() => new ArbiterActor(configuration, services, outcome));

    /// <summary>A process signal, forwarded to the arbiter as a message.</summary>
    /// <param name="Signal">Which signal.</param>
    public sealed record SignalReceived(ServerSignal Signal);

    /// <summary>Query: the arbiter's view of its workers. Answered with <see cref="Status"/>.</summary>
    public sealed record GetStatus
    {
        /// <summary>The single instance.</summary>
        public static GetStatus Instance { get; } = new();

        private GetStatus()
        {
        }
    }

    /// <summary>The arbiter's view of its workers.</summary>
    /// <param name="DesiredWorkers">How many workers it aims for now.</param>
    /// <param name="MinWorkers">
    /// The floor: <c>--workers</c>, as TTIN, TTOU and the control socket left it. Equal to
    /// <paramref name="DesiredWorkers"/> unless the load added workers (or WINCH stopped them all).
    /// </param>
    /// <param name="MaxWorkers">The most workers the load may bring (<c>--max-workers</c>); the floor when the count is fixed.</param>
    /// <param name="Workers">One entry per worker process.</param>
    public sealed record Status(int DesiredWorkers, int MinWorkers, int MaxWorkers, IReadOnlyList<WorkerStatus> Workers);

    /// <summary>One worker as the arbiter sees it.</summary>
    /// <param name="Pid">The process id (0 while spawning).</param>
    /// <param name="Age">The spawn counter value; lower is older.</param>
    /// <param name="State">Booting, Running or Leaving.</param>
    /// <param name="RequestsServed">Requests answered, as of the last heartbeat.</param>
    /// <param name="OpenConnections">Open client connections, as of the last heartbeat.</param>
    /// <param name="RssBytes">Resident memory, as of the last heartbeat (0 before the first).</param>
    /// <param name="LongestRequestMs">How long the oldest running request had run at the last heartbeat; 0 when idle.</param>
    /// <param name="Uptime">Time since the process was spawned.</param>
    public sealed record WorkerStatus(int Pid, int Age, string State, long RequestsServed, int OpenConnections, long RssBytes, long LongestRequestMs, TimeSpan Uptime);

    /// <summary>Command: reload the configuration and the application, as SIGHUP does. Answered with <see cref="CommandAccepted"/>.</summary>
    public sealed record Reload
    {
        /// <summary>The single instance.</summary>
        public static Reload Instance { get; } = new();

        private Reload()
        {
        }
    }

    /// <summary>Command: run more workers, as SIGTTIN does <paramref name="Count"/> times. Answered with <see cref="CommandAccepted"/>.</summary>
    /// <param name="Count">How many to add (at least 1).</param>
    public sealed record AddWorkers(int Count);

    /// <summary>
    /// Command: run fewer workers, as SIGTTOU does <paramref name="Count"/> times; the oldest retire and at least one
    /// worker remains. Answered with <see cref="CommandAccepted"/>.
    /// </summary>
    /// <param name="Count">How many to remove (at least 1).</param>
    public sealed record RemoveWorkers(int Count);

    /// <summary>The reply to a command: what the arbiter did.</summary>
    /// <param name="Summary">One line for the operator, e.g. "workers: 2 -> 3".</param>
    public sealed record CommandAccepted(string Summary);

    /// <summary>Query: the arbiter's counters. Answered with <see cref="Stats"/>.</summary>
    public sealed record GetStats
    {
        /// <summary>The single instance.</summary>
        public static GetStats Instance { get; } = new();

        private GetStats()
        {
        }
    }

    /// <summary>The arbiter's counters since it started (gunicorn's <c>_stats</c>).</summary>
    /// <param name="Uptime">Time since the arbiter started.</param>
    /// <param name="DesiredWorkers">How many workers it aims for.</param>
    /// <param name="WorkersSpawned">Worker processes started, respawns included.</param>
    /// <param name="WorkersLost">Workers that exited without being asked to (crashed, killed, timed out).</param>
    /// <param name="WorkersRecycled">Workers replaced on purpose (max-requests, memory, lifetime, request timeout).</param>
    /// <param name="Reloads">Reloads (HUP or the control command).</param>
    /// <param name="RequestsServed">Requests answered by the workers running now, as of their last heartbeats.</param>
    /// <param name="MinWorkers">The floor of the worker count (<see cref="Status.MinWorkers"/>).</param>
    /// <param name="MaxWorkers">The ceiling of the worker count (<see cref="Status.MaxWorkers"/>).</param>
    /// <param name="ScaleUps">Workers added because requests waited (<c>--max-workers</c>).</param>
    /// <param name="ScaleDowns">Workers retired because the load had dropped.</param>
    public sealed record Stats(
        TimeSpan Uptime,
        int DesiredWorkers,
        long WorkersSpawned,
        long WorkersLost,
        long WorkersRecycled,
        long Reloads,
        long RequestsServed,
        int MinWorkers,
        int MaxWorkers,
        long ScaleUps,
        long ScaleDowns);
}

/// <summary>The signals the arbiter handles, with gunicorn's meaning.</summary>
public enum ServerSignal
{
    /// <summary>Reload: new workers first, then retire the old ones.</summary>
    Hup,

    /// <summary>Graceful stop within the graceful timeout.</summary>
    Term,

    /// <summary>SIGINT: quick stop.</summary>
    Interrupt,

    /// <summary>Quick stop.</summary>
    Quit,

    /// <summary>One more worker.</summary>
    Ttin,

    /// <summary>One worker fewer (the oldest retires).</summary>
    Ttou,

    /// <summary>Reopen log files.</summary>
    Usr1,

    /// <summary>Re-execute the arbiter (binary upgrade).</summary>
    Usr2,

    /// <summary>Stop the workers but keep the arbiter (daemon mode).</summary>
    Winch,
}

/// <summary>How the arbiter ended.</summary>
/// <param name="ExitCode">The process exit code: 0, or gunicorn's 3/4 after a halt.</param>
/// <param name="Reason">Why it halted, if it did.</param>
public sealed record ArbiterOutcome(int ExitCode, string? Reason);
