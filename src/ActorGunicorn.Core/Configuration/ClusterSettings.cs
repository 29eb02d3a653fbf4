namespace ActorGunicorn.Configuration;

/// <summary>
/// The cluster rows of the settings table, read once with the rest of <see cref="ServerSettings"/>. The
/// ActorGunicorn.Cluster project turns them into Akka.Cluster configuration; the server itself only asks
/// <see cref="IsClustered"/>.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The seed nodes (<c>cluster_seeds</c>); empty when the arbiter is not clustered.</summary>
    public IReadOnlyList<ClusterEndpoint> Seeds { get; init; } = [];

    /// <summary>The address the cluster remoting binds and is known by (<c>cluster_host</c>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The cluster remoting's TCP port (<c>cluster_port</c>); 0 for any free port.</summary>
    public int Port { get; init; }

    /// <summary>The node's roles (<c>cluster_roles</c>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The split-brain resolver's strategy (<c>cluster_split_brain</c>).</summary>
    public string SplitBrainStrategy { get; init; } = "keep-majority";

    /// <summary>The static-quorum strategy's quorum (<c>cluster_quorum_size</c>).</summary>
    public int QuorumSize { get; init; }

    /// <summary>How long membership must be stable before the resolver downs nodes (<c>cluster_stable_after</c>).</summary>
    public TimeSpan StableAfter { get; init; }

    /// <summary>The failure detector's acceptable heartbeat pause (<c>cluster_heartbeat_pause</c>).</summary>
    public TimeSpan HeartbeatPause { get; init; }

    /// <summary>Whether this arbiter joins a cluster: it does when seed nodes are configured.</summary>
    public bool IsClustered => Seeds.Count > 0;

    /// <summary>Compares every property, lists item by item.</summary>
    /// <param name="other">The settings to compare with.</param>
    /// <returns>Whether the two hold the same values.</returns>
    public bool Equals(ClusterSettings? other) =>
        other is not null
        && Seeds.SequenceEqual(other.Seeds)
        && Host == other.Host
        && Port == other.Port
        && Roles.SequenceEqual(other.Roles)
        && SplitBrainStrategy == other.SplitBrainStrategy
        && QuorumSize == other.QuorumSize
        && StableAfter == other.StableAfter
        && HeartbeatPause == other.HeartbeatPause;

    /// <summary>A hash consistent with <see cref="Equals(ClusterSettings?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Seeds.Count, Host, Port, Roles.Count, SplitBrainStrategy);
}
