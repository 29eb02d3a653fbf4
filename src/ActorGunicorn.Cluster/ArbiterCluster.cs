using ActorGunicorn.Cluster.Internal;
using ActorGunicorn.Runtime;

namespace ActorGunicorn.Cluster;

/// <summary>
/// The arbiter's cluster membership, started beside the arbiter when seed nodes are configured. The membership has
/// an actor system of its own (remoting, cluster, the host agent, the coordinator singleton, the receptionist), so
/// that a node that is downed (a partition the split-brain resolver decided against) can throw it away and join
/// again with a new one while the arbiter and its workers keep serving.
/// </summary>
public sealed class ArbiterCluster : IArbiterExtension
{
    /// <summary>The extension the executable passes to the arbiter.</summary>
    public static ArbiterCluster Instance { get; } = new();

    private ArbiterCluster()
    {
    }

    /// <inheritdoc/>
    public async Task<IAsyncDisposable?> StartAsync(ArbiterExtensionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Settings.Cluster.IsClustered)
        {
            return null;
        }

        var membership = new ClusterMembership(context);
        await membership.StartAsync().ConfigureAwait(false);
        return membership;
    }
}
