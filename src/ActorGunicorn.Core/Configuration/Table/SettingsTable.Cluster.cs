namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>cluster_seeds</c> (<c>--cluster-seed</c>): the arbiters a node joins; none means not clustered.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> ClusterSeeds = new(SettingKinds.TextList)
    {
        Name = "cluster_seeds",
        HoconKey = "cluster-seeds",
        Flags = ["--cluster-seed"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "HOST:PORT",
        Default = [],
        Rule = SettingRules.HostPorts,
        Summary = "An arbiter to join an Akka.Cluster through, HOST:PORT; repeat for several.",
        Description = "The cluster's seed nodes: arbiters, written `HOST:PORT` (their --cluster-host and "
            + "--cluster-port), through which this arbiter joins the fleet. Give every node the same list, the node "
            + "itself included; the first seed starts the cluster when no other answers. An empty list (the "
            + "default) runs a single-host server: no cluster and no remoting are started. Repeat --cluster-seed "
            + "for several.",
    };

    /// <summary><c>cluster_host</c> (<c>--cluster-host</c>): the address this arbiter's cluster remoting binds.</summary>
    public static readonly SettingDefinition<string> ClusterHost = new(SettingKinds.Text)
    {
        Name = "cluster_host",
        HoconKey = "cluster-host",
        Flags = ["--cluster-host"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "HOST",
        Default = "127.0.0.1",
        Summary = "The address the arbiter's cluster remoting binds and is known by.",
        Description = "The host name or IP address on which this arbiter accepts cluster traffic, and by which the "
            + "other nodes reach it: it must be how the seeds name this node (use the host's own address, such as "
            + "10.0.0.5, for nodes on several hosts). Only the arbiter listens here; workers stay local.",
    };

    /// <summary><c>cluster_port</c> (<c>--cluster-port</c>): the TCP port of the arbiter's cluster remoting.</summary>
    public static readonly SettingDefinition<int> ClusterPort = new(SettingKinds.WholeNumber)
    {
        Name = "cluster_port",
        HoconKey = "cluster-port",
        Flags = ["--cluster-port"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "PORT",
        Default = 4053,
        Rule = SettingRules.Port,
        Summary = "The TCP port of the arbiter's cluster remoting.",
        Description = "The port on which this arbiter accepts cluster traffic (Akka.Remote), and `actorgunicorn ctl "
            + "--cluster HOST:PORT` reaches the fleet. 0 takes any free port, which suits a node that is no seed. "
            + "Several arbiters on one host need a port each.",
    };

    /// <summary><c>cluster_roles</c> (<c>--cluster-role</c>): the roles this arbiter has in the cluster.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> ClusterRoles = new(SettingKinds.TextList)
    {
        Name = "cluster_roles",
        HoconKey = "cluster-roles",
        Flags = ["--cluster-role"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "ROLE",
        Default = ["arbiter"],
        Summary = "A role of this arbiter in the cluster (shown by ctl --cluster status); repeat for several.",
        Description = "Akka.Cluster roles of this node, such as a region or a tier. `actorgunicorn ctl --cluster "
            + "status` shows them for each host. Repeat --cluster-role for several; a list given by a layer replaces "
            + "the list of the layers below it.",
    };

    /// <summary><c>cluster_split_brain</c> (<c>--cluster-split-brain</c>): the split-brain resolver's strategy.</summary>
    public static readonly SettingDefinition<string> ClusterSplitBrain = new(SettingKinds.Choice("keep-majority", "static-quorum", "keep-oldest", "down-all"))
    {
        Name = "cluster_split_brain",
        HoconKey = "cluster-split-brain",
        Flags = ["--cluster-split-brain"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "STRATEGY",
        Default = "keep-majority",
        Summary = "How the split-brain resolver decides which side of a partition stays in the cluster.",
        Description = "Akka's split-brain resolver, which downs unreachable nodes once the membership has been "
            + "stable for --cluster-stable-after. keep-majority keeps the side with more than half the nodes (the "
            + "lowest address wins a tie); static-quorum keeps a side of at least --cluster-quorum-size nodes; "
            + "keep-oldest keeps the side with the oldest node; down-all downs every node when a partition lasts. "
            + "A downed arbiter leaves the cluster but keeps serving HTTP on its host: clustering steers the fleet, "
            + "it never stops traffic.",
    };

    /// <summary><c>cluster_quorum_size</c> (<c>--cluster-quorum-size</c>): the quorum of the static-quorum strategy.</summary>
    public static readonly SettingDefinition<int> ClusterQuorumSize = new(SettingKinds.WholeNumber)
    {
        Name = "cluster_quorum_size",
        HoconKey = "cluster-quorum-size",
        Flags = ["--cluster-quorum-size"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "INT",
        Default = 2,
        Rule = SettingRules.AtLeast(1),
        Summary = "Nodes a side needs to stay up under --cluster-split-brain static-quorum.",
        Description = "With the static-quorum strategy, a side of a partition with at least this many nodes stays "
            + "and the other is downed. Set it to more than half the fleet's size. Other strategies ignore it.",
    };

    /// <summary><c>cluster_stable_after</c> (<c>--cluster-stable-after</c>): how long membership must be stable before downing.</summary>
    public static readonly SettingDefinition<TimeSpan> ClusterStableAfter = new(SettingKinds.Seconds)
    {
        Name = "cluster_stable_after",
        HoconKey = "cluster-stable-after",
        Flags = ["--cluster-stable-after"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(3),
        Summary = "Seconds of unchanged membership before the split-brain resolver downs unreachable nodes.",
        Description = "The split-brain resolver acts once the set of unreachable nodes has not changed for this "
            + "long. Akka's default is 20 s for large clusters; a fleet of a few arbiters on a reliable network "
            + "removes a dead host sooner with 3 s. A longer value rides out longer network blips before a node "
            + "is removed (and then must rejoin).",
    };

    /// <summary><c>cluster_heartbeat_pause</c> (<c>--cluster-heartbeat-pause</c>): failure-detector tolerance.</summary>
    public static readonly SettingDefinition<TimeSpan> ClusterHeartbeatPause = new(SettingKinds.Seconds)
    {
        Name = "cluster_heartbeat_pause",
        HoconKey = "cluster-heartbeat-pause",
        Flags = ["--cluster-heartbeat-pause"],
        Section = SettingSections.Cluster,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(3),
        Summary = "Missing cluster heartbeats tolerated before a node is marked unreachable.",
        Description = "The failure detector's acceptable heartbeat pause. Akka's default (3 s) marks a dead node "
            + "unreachable within about 4 s; together with --cluster-stable-after it bounds how long a dead host "
            + "stays in the fleet. Raise it where garbage-collection pauses or a loaded network delay heartbeats: "
            + "a node marked unreachable by mistake is downed and has to rejoin.",
    };

    private static SettingDefinition[] ClusterRows =>
        [ClusterSeeds, ClusterHost, ClusterPort, ClusterRoles, ClusterSplitBrain, ClusterQuorumSize, ClusterStableAfter, ClusterHeartbeatPause];
}
