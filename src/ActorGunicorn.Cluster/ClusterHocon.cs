using System.Globalization;
using ActorGunicorn.Cluster.Serialization;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster;

/// <summary>
/// The Akka settings of the cluster's actor system that Akka.Cluster.Hosting's options do not hold: the split-brain
/// resolver (Hosting has no down-all option, so all four strategies are written here alike), the failure detector's
/// pause, what a downed node does, and the fleet serializer's binding.
/// </summary>
public static class ClusterHocon
{
    /// <summary>The actor system name every arbiter's cluster system has; seeds and <c>ctl --cluster</c> address it.</summary>
    public const string SystemName = "actorgunicorn";

    /// <summary>The remoting address of a node: <c>akka.tcp://actorgunicorn@HOST:PORT</c>.</summary>
    /// <param name="endpoint">The node's host and port.</param>
    /// <returns>The address.</returns>
    public static string AddressOf(ClusterEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"akka.tcp://{SystemName}@{endpoint}";
    }

    /// <summary>The <c>akka.actor</c> block that binds every <see cref="IFleetMessage"/> to <see cref="FleetMessageSerializer"/>.</summary>
    public static string SerializationBlock { get; } = $$"""
        actor {
          serializers.actorgunicorn-fleet = "{{typeof(FleetMessageSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(IFleetMessage).AssemblyQualifiedName}}" = actorgunicorn-fleet
          }
          serialization-identifiers {
            "{{typeof(FleetMessageSerializer).AssemblyQualifiedName}}" = {{FleetMessageSerializer.Id}}
          }
        }
        """;

    /// <summary>Renders the HOCON for <paramref name="settings"/>.</summary>
    /// <param name="settings">The cluster settings.</param>
    /// <returns>HOCON text.</returns>
    public static string Render(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var seconds = (TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return $$"""
            akka {
              {{SerializationBlock}}
              # A `ctl --cluster` client leaves by closing its connection: Akka.Remote would log that, and the gating and
              # failed redelivery that follow, as warnings and an ERROR "Disassociated" on every query. Membership
              # changes that matter are logged by the cluster itself (unreachable, downed, removed).
              remote.log-remote-lifecycle-events = off
              cluster {
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = {{settings.SplitBrainStrategy}}
                  stable-after = {{seconds(settings.StableAfter)}}
                  static-quorum.quorum-size = {{settings.QuorumSize}}
                }
                failure-detector.acceptable-heartbeat-pause = {{seconds(settings.HeartbeatPause)}}
                # A downed arbiter keeps serving HTTP: only its membership ends, and it is restarted to rejoin.
                run-coordinated-shutdown-when-down = off
                # Arbiters are few and equal; a node joining should be Up at once, not wait for convergence.
                allow-weakly-up-members = on
                # Akka's proxy starts its "failed to find the singleton after 30 seconds" timer with no initial
                # delay, so it warns the moment it starts looking: at every start and every TERM. The coordinator's
                # absence shows where it matters, in `ctl --cluster status`.
                singleton-proxy.log-singleton-identification-failure = off
              }
              coordinated-shutdown.exit-clr = off
            }
            """;
    }
}
