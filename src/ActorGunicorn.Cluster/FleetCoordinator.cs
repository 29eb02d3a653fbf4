using Akka.Actor;
using ActorGunicorn.Cluster.Internal;

namespace ActorGunicorn.Cluster;

/// <summary>
/// The fleet coordinator: a cluster singleton that keeps every host's state (from its <see cref="HostAgent"/>'s
/// reports and the membership events) and steers the fleet: fleet status, rolling reload one host at a time,
/// scaling, and configuration overlays. <c>actorgunicorn ctl --cluster</c> reaches it through the cluster client
/// receptionist.
/// </summary>
public static class FleetCoordinator
{
    /// <summary>The singleton's name; its proxy, registered with the receptionist, is <see cref="ProxyPath"/>.</summary>
    public const string Name = "fleet-coordinator";

    /// <summary>The path of the singleton proxy on every node, as a cluster client names the service.</summary>
    public const string ProxyPath = "/user/" + Name + "-proxy";

    /// <summary>Props for the coordinator.</summary>
    /// <param name="settings">Its timings.</param>
    /// <param name="log">The server's log, for the fleet's decisions; Serilog's global logger by default.</param>
    /// <param name="seeds">The seed nodes as HOST:PORT, so the status can name those that have not joined; none by default.</param>
    public static Props Props(FleetCoordinatorSettings settings, Serilog.ILogger? log = null, IReadOnlyList<string>? seeds = null) =>
        Akka.Actor.Props.Create(() => new FleetCoordinatorActor(settings, log ?? Serilog.Log.Logger, seeds ?? Array.Empty<string>()));

    /// <summary>Query: every host's state. Answered with <see cref="FleetStatus"/>.</summary>
    public sealed record GetFleetStatus : IFleetMessage
    {
        /// <summary>The single instance.</summary>
        public static GetFleetStatus Instance { get; } = new();

        private GetFleetStatus()
        {
        }
    }

    /// <summary>
    /// Command: reload every host, one at a time, each once the others serve, so capacity never falls below N−1
    /// hosts. Answered when done with <see cref="CommandSucceeded"/>, or <see cref="CommandFailed"/>; meanwhile
    /// <see cref="GetRollout"/> with the same id tells how far it has come, from whichever member coordinates then.
    /// </summary>
    /// <param name="RolloutId">The caller's id for the rollout, unique (random) so a later coordinator can be asked about it.</param>
    public sealed record RollingReload(long RolloutId) : IFleetMessage;

    /// <summary>Query: how far a rollout has come. Answered with <see cref="RolloutProgress"/>.</summary>
    /// <param name="RolloutId">The id the caller gave it.</param>
    public sealed record GetRollout(long RolloutId) : IFleetMessage;

    /// <summary>A rollout's state as the coordinator knows it.</summary>
    /// <param name="RolloutId">The rollout's id.</param>
    /// <param name="State">Running, done, failed, or unknown to this coordinator.</param>
    /// <param name="Summary">Its progress line while running, its outcome once over; empty when unknown.</param>
    public sealed record RolloutProgress(long RolloutId, RolloutState State, string Summary) : IFleetMessage;

    /// <summary>
    /// A rolling reload as the coordinator hands it to every host agent at each step, and the agents report it back:
    /// the state that outlives the coordinator's node, so the member that coordinates next resumes the rollout.
    /// </summary>
    /// <param name="RolloutId">The rollout's id.</param>
    /// <param name="Step">Counts the changes, so an agent keeps the newest of one rollout.</param>
    /// <param name="Pending">Hosts still to reload, in order.</param>
    /// <param name="Current">The host reloading, or null between hosts.</param>
    /// <param name="Done">Hosts whose new workers serve.</param>
    /// <param name="Skipped">Hosts that left before their turn.</param>
    /// <param name="SummaryPrefix">What came before the reload (an overlay's acceptance), for the final answer; null for none.</param>
    /// <param name="State">Running, or the outcome.</param>
    /// <param name="Outcome">The final answer once done or failed; null while running.</param>
    public sealed record RolloutRecord(
        long RolloutId,
        int Step,
        IReadOnlyList<string> Pending,
        string? Current,
        IReadOnlyList<string> Done,
        IReadOnlyList<string> Skipped,
        string? SummaryPrefix,
        RolloutState State,
        string? Outcome) : IFleetMessage;

    /// <summary>Command: set the number of workers, per host or for the whole fleet. Answered with <see cref="CommandSucceeded"/> or <see cref="CommandFailed"/>.</summary>
    /// <param name="Mode">Whether <paramref name="Count"/> is per host or a total spread over the hosts.</param>
    /// <param name="Count">How many workers.</param>
    public sealed record Scale(ScaleMode Mode, int Count) : IFleetMessage;

    /// <summary>
    /// Command: merge keys into the fleet's HOCON overlay and remove others from it, check the result on every host,
    /// record it as the next version, then apply it with a rolling reload. Answered when done with
    /// <see cref="CommandSucceeded"/> or <see cref="CommandFailed"/>.
    /// </summary>
    /// <param name="Hocon">The keys to set, for example <c>actorgunicorn { max-requests = 1000 }</c>; may be empty.</param>
    /// <param name="Unset">Settings to take out of the overlay by HOCON key, so each host's own configuration decides them again.</param>
    /// <param name="RolloutId">The caller's id for the rolling reload that applies it (see <see cref="RollingReload"/>).</param>
    public sealed record DistributeConfig(string Hocon, IReadOnlyList<string> Unset, long RolloutId) : IFleetMessage;

    /// <summary>A host's report of itself, sent by its agent every second.</summary>
    /// <param name="Address">The node's cluster address.</param>
    /// <param name="Roles">The node's cluster roles.</param>
    /// <param name="ArbiterPid">Its arbiter's process id.</param>
    /// <param name="ConfigVersion">The version of the configuration overlay it holds, which its next reload applies; 0 for none.</param>
    /// <param name="ServingConfigVersion">The overlay version its workers were started with (the one held, once its reload is done).</param>
    /// <param name="ConfigText">That overlay's text, so a coordinator that started after it was distributed can bring a lagging host to it.</param>
    /// <param name="DesiredWorkers">How many workers its arbiter aims for.</param>
    /// <param name="Workers">Its workers.</param>
    /// <param name="Rollout">The newest rolling reload the coordinator handed it, or null.</param>
    public sealed record HostReport(string Address, IReadOnlyList<string> Roles, int ArbiterPid, long ConfigVersion, long ServingConfigVersion, string ConfigText, int DesiredWorkers, IReadOnlyList<WorkerEntry> Workers, RolloutRecord? Rollout) : IFleetMessage;

    /// <summary>The fleet as the coordinator sees it.</summary>
    /// <param name="ConfigVersion">The newest configuration overlay's version; 0 for none.</param>
    /// <param name="Activity">What the coordinator is doing (a rolling reload's progress), or null when idle.</param>
    /// <param name="Hosts">Every member, ordered by address.</param>
    /// <param name="AwaitedSeeds">Seed nodes (HOST:PORT) that are not members yet: still starting, or down.</param>
    public sealed record FleetStatus(long ConfigVersion, string? Activity, IReadOnlyList<HostEntry> Hosts, IReadOnlyList<string> AwaitedSeeds) : IFleetMessage;

    /// <summary>One host of the fleet.</summary>
    /// <param name="Address">The node's cluster address.</param>
    /// <param name="Roles">Its cluster roles.</param>
    /// <param name="MemberStatus">Its membership status (Joining, Up, Leaving, Exiting, Down), <c>Unreachable</c> when the failure detector says so.</param>
    /// <param name="Healthy">Up, reachable, recently reported, with at least one worker running.</param>
    /// <param name="ArbiterPid">Its arbiter's process id; 0 before its first report.</param>
    /// <param name="ConfigVersion">The overlay version it holds (its next reload applies it).</param>
    /// <param name="ServingConfigVersion">The overlay version its workers run with.</param>
    /// <param name="DesiredWorkers">How many workers its arbiter aims for.</param>
    /// <param name="ReportAge">How long ago its last report came; null before the first. Older than a few seconds, its rows are its last known state, not its state now.</param>
    /// <param name="Workers">Its workers as of its last report.</param>
    public sealed record HostEntry(string Address, IReadOnlyList<string> Roles, string MemberStatus, bool Healthy, int ArbiterPid, long ConfigVersion, long ServingConfigVersion, int DesiredWorkers, TimeSpan? ReportAge, IReadOnlyList<WorkerEntry> Workers) : IFleetMessage;

    /// <summary>One worker of a host.</summary>
    /// <param name="Pid">Its process id.</param>
    /// <param name="Age">gunicorn's age: the spawn counter on its host; lower is older.</param>
    /// <param name="State">Booting, Running, Replacing or Leaving.</param>
    /// <param name="Uptime">Time since it was spawned.</param>
    /// <param name="RequestsServed">Requests answered, as of its last heartbeat.</param>
    /// <param name="RssBytes">Resident memory, as of its last heartbeat.</param>
    public sealed record WorkerEntry(int Pid, int Age, string State, TimeSpan Uptime, long RequestsServed, long RssBytes) : IFleetMessage;

    /// <summary>A command was carried out.</summary>
    /// <param name="Summary">What was done, for the operator (may span lines).</param>
    public sealed record CommandSucceeded(string Summary) : IFleetMessage;

    /// <summary>A command was refused or failed.</summary>
    /// <param name="Reason">Why, for the operator.</param>
    public sealed record CommandFailed(string Reason) : IFleetMessage;
}

/// <summary>How <see cref="FleetCoordinator.Scale"/> counts.</summary>
public enum ScaleMode
{
    /// <summary>Every host runs Count workers.</summary>
    PerHost = 1,

    /// <summary>The fleet runs Count workers in all, spread as evenly as possible.</summary>
    Total = 2,
}

/// <summary>Where a rolling reload stands.</summary>
public enum RolloutState
{
    /// <summary>The coordinator asked has not heard of it.</summary>
    Unknown = 0,

    /// <summary>Under way.</summary>
    Running = 1,

    /// <summary>Every host that stayed a member serves with its new workers.</summary>
    Done = 2,

    /// <summary>Stopped part-way; the outcome says which hosts were reloaded.</summary>
    Failed = 3,
}

/// <summary>The coordinator's timings.</summary>
/// <param name="ReportFreshness">A host whose last report is older than this is not healthy.</param>
/// <param name="HostReloadTimeout">How long one host may take to serve with its new workers before a rolling reload stops.</param>
/// <param name="AgentTimeout">How long an agent may take to answer a command.</param>
public sealed record FleetCoordinatorSettings(TimeSpan ReportFreshness, TimeSpan HostReloadTimeout, TimeSpan AgentTimeout)
{
    /// <summary>Reports every second, a stale host after 5 s, two minutes per host reload, 10 s per command.</summary>
    public static FleetCoordinatorSettings Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
}
