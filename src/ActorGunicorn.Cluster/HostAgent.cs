using Akka.Actor;
using Akka.Configuration;
using ActorGunicorn.Cluster.Internal;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster;

/// <summary>
/// The per-host agent: the arbiter's representative in the cluster. Every second it asks its arbiter for its status
/// and reports it to the fleet coordinator; it carries out the coordinator's commands on its host with the arbiter's
/// own messages (reload, add and remove workers) and keeps the configuration overlay. Workers never join the
/// cluster: only this actor speaks for them.
/// </summary>
public static class HostAgent
{
    /// <summary>The agent's name under <c>/user</c>.</summary>
    public const string Name = "host-agent";

    /// <summary>Props for the agent.</summary>
    /// <param name="arbiter">The local arbiter.</param>
    /// <param name="coordinator">The fleet coordinator's singleton proxy.</param>
    /// <param name="overlay">The overlay the arbiter's reloads apply.</param>
    /// <param name="baseConfig">The configuration the arbiter started with; an overlay is checked over it.</param>
    /// <param name="reloadTimeout">How long a reload may take before the agent takes reloads again; the coordinator's by default.</param>
    /// <param name="log">The server's log, for what the agent does; Serilog's global logger by default.</param>
    public static Props Props(IActorRef arbiter, IActorRef coordinator, ConfigurationOverlay overlay, Config baseConfig, TimeSpan? reloadTimeout = null, Serilog.ILogger? log = null) =>
        Akka.Actor.Props.Create(() => new HostAgentActor(arbiter, coordinator, overlay, baseConfig, reloadTimeout ?? FleetCoordinatorSettings.Default.HostReloadTimeout, log ?? Serilog.Log.Logger));

    /// <summary>Command: reload this host. Answered with <see cref="HostReloaded"/> once its new workers serve, or <see cref="FleetCoordinator.CommandFailed"/>.</summary>
    /// <param name="RequestId">The coordinator's number for this reload.</param>
    public sealed record ReloadHost(long RequestId) : IFleetMessage;

    /// <summary>This host's workers of the new generation all serve.</summary>
    /// <param name="RequestId">The reload's number.</param>
    /// <param name="Address">The host's cluster address.</param>
    public sealed record HostReloaded(long RequestId, string Address) : IFleetMessage;

    /// <summary>Command: run this many workers here. Answered with <see cref="FleetCoordinator.CommandSucceeded"/> or <see cref="FleetCoordinator.CommandFailed"/>.</summary>
    /// <param name="Workers">The number of workers, 1 to 100.</param>
    public sealed record ScaleHost(int Workers) : IFleetMessage;

    /// <summary>Command: check an overlay and make it the one the next reload applies. Answered with <see cref="FleetCoordinator.CommandSucceeded"/> or <see cref="FleetCoordinator.CommandFailed"/>.</summary>
    /// <param name="Version">The fleet's version of the overlay.</param>
    /// <param name="Hocon">The overlay.</param>
    public sealed record ApplyConfig(long Version, string Hocon) : IFleetMessage;
}
