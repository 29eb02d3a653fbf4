using Akka.Actor;
using ActorGunicorn.Control;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The worker's end of the control channel as an actor: it sends a heartbeat with the worker's counters every
/// second, relays the arbiter's stop commands to the worker actor, and reports the arbiter's death (end of stream)
/// the moment it happens.
/// </summary>
internal static class ControlLink
{
    /// <summary>How often the worker proves it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>Props for the link.</summary>
    /// <param name="channel">The control channel.</param>
    /// <param name="statistics">The counters each heartbeat carries.</param>
    /// <param name="worker">The worker actor, told about stops and the arbiter's death.</param>
    public static Props Props(ControlChannel channel, WorkerStatistics statistics, IActorRef worker) =>
        Akka.Actor.Props.Create(() => new ControlLinkActor(channel, statistics, worker));

    /// <summary>Command: tell the arbiter the worker is ready.</summary>
    public sealed record AnnounceReady
    {
        /// <summary>The single instance.</summary>
        public static readonly AnnounceReady Instance = new();

        private AnnounceReady()
        {
        }
    }

    /// <summary>Command: ask the arbiter for a replacement; the worker serves on until the arbiter stops it.</summary>
    /// <param name="Reason">Why.</param>
    public sealed record RequestRecycle(string Reason);
}
