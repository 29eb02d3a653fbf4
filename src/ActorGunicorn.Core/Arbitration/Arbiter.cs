using Akka.Actor;
using ActorGunicorn.Arbitration.Internal;
using ActorGunicorn.Configuration;
using ActorGunicorn.Hooks;

namespace ActorGunicorn.Arbitration;

/// <summary>
/// The arbiter: gunicorn's master loop as an actor. It owns no client socket; it keeps one child actor per worker
/// process, turns signals (delivered as <see cref="SignalReceived"/>) into gunicorn's handlers, and on a one-second
/// tick runs <c>MurderWorkers</c> (timeouts) and <c>ManageWorkers</c> (desired vs actual count).
/// </summary>
public static class Arbiter
{
    /// <summary>Props for the arbiter.</summary>
    /// <param name="settings">The server settings.</param>
    /// <param name="spawner">Starts worker processes.</param>
    /// <param name="outcome">Completed with the exit code when the arbiter has stopped every worker.</param>
    /// <param name="log">The error log.</param>
    /// <param name="hooks">The server hooks; none when null.</param>
    internal static Props Props(ServerSettings settings, IWorkerSpawner spawner, TaskCompletionSource<ArbiterOutcome> outcome, Microsoft.Extensions.Logging.ILogger log, ArbiterHooks? hooks = null) =>
        Akka.Actor.Props.Create(() => new ArbiterActor(settings, spawner, outcome, log, hooks ?? ArbiterHooks.None));

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
    /// <param name="DesiredWorkers">How many workers it aims for.</param>
    /// <param name="Workers">One entry per worker process.</param>
    public sealed record Status(int DesiredWorkers, IReadOnlyList<WorkerStatus> Workers);

    /// <summary>One worker as the arbiter sees it.</summary>
    /// <param name="Pid">The process id (0 while spawning).</param>
    /// <param name="Age">The spawn counter value; lower is older.</param>
    /// <param name="State">Booting, Running or Leaving.</param>
    /// <param name="RequestsServed">Requests answered, as of the last heartbeat.</param>
    /// <param name="OpenConnections">Open client connections, as of the last heartbeat.</param>
    public sealed record WorkerStatus(int Pid, int Age, string State, long RequestsServed, int OpenConnections);
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
