using System.Text.Json;
using Akka.Configuration;
using ActorGunicorn.Cluster.Serialization;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

/// <summary>Every fleet message survives Akka's serialization as bound in the cluster's HOCON, field for field.</summary>
public sealed class FleetMessageSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly FleetCoordinator.WorkerEntry Worker = new(4242, 7, "Running", TimeSpan.FromSeconds(93.5), 1_234_567, 88_000_000);

    private static readonly FleetCoordinator.HostEntry Host = new(
        "akka.tcp://actorgunicorn@10.0.0.5:4053", ["arbiter", "eu-west"], "Unreachable", Healthy: false, 4000, 3, 2, 4, TimeSpan.FromSeconds(12.5), [Worker, Worker with { Pid = 4243, State = "Replacing" }]);

    private static readonly FleetCoordinator.RolloutRecord Record = new(
        9, 4, ["akka.tcp://actorgunicorn@10.0.0.3:4053"], "akka.tcp://actorgunicorn@10.0.0.2:4053", ["akka.tcp://actorgunicorn@10.0.0.1:4053"], [], "config version 2 accepted by 3 hosts", RolloutState.Done, "rolling reload done: 3 hosts");

    public FleetMessageSerializerTests()
        : base(ConfigurationFactory.ParseString("akka { " + ClusterHocon.SerializationBlock + " }"))
    {
    }

    public static TheoryData<IFleetMessage> Messages() =>
    [
        FleetCoordinator.GetFleetStatus.Instance,
        new FleetCoordinator.RollingReload(long.MaxValue),
        new FleetCoordinator.GetRollout(3),
        new FleetCoordinator.RolloutProgress(3, RolloutState.Failed, "rolling reload stopped: x"),
        Record,
        new FleetCoordinator.RolloutRecord(1, 0, ["a"], null, [], [], null, RolloutState.Running, null),
        new FleetCoordinator.Scale(ScaleMode.PerHost, 3),
        new FleetCoordinator.Scale(ScaleMode.Total, 100),
        new FleetCoordinator.DistributeConfig("actorgunicorn { workers = 3, raw-env = [\"GREETING=grüß\"] }", [], 17),
        new FleetCoordinator.DistributeConfig(string.Empty, ["max-requests", "timeout"], 18),
        new FleetCoordinator.HostReport("akka.tcp://actorgunicorn@127.0.0.1:25551", ["arbiter"], 4242, 2, 1, "actorgunicorn {\n  workers = 2\n}\n", 2, [Worker], Record),
        new FleetCoordinator.HostReport("akka.tcp://actorgunicorn@127.0.0.1:25552", [], 4243, 0, 0, string.Empty, 1, [], null),
        new FleetCoordinator.FleetStatus(5, "rolling reload: reloading 10.0.0.5:4053 (2 of 3)", [Host, Host with { Workers = [], ReportAge = null }], ["127.0.0.1:4052"]),
        new FleetCoordinator.FleetStatus(0, null, [], []),
        Host,
        Worker,
        new FleetCoordinator.CommandSucceeded("127.0.0.1:25551: workers 2 -> 3\n127.0.0.1:25552: workers 2 -> 3"),
        new FleetCoordinator.CommandFailed("no host is up to reload"),
        new HostAgent.ReloadHost(long.MaxValue),
        new HostAgent.HostReloaded(17, "akka.tcp://actorgunicorn@127.0.0.1:25553"),
        new HostAgent.ScaleHost(100),
        new HostAgent.ApplyConfig(9, "actorgunicorn.timeout = 45"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_fleet_message_survives_a_round_trip_through_its_own_serializer(IFleetMessage message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<FleetMessageSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(message.GetType(), back);
        // Records compare lists by reference; their JSON compares every field, lists item by item.
        Assert.Equal(JsonSerializer.Serialize<object>(message), JsonSerializer.Serialize(back));
    }

    [Fact]
    public void Every_message_type_of_the_protocol_has_a_round_trip_case()
    {
        var covered = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType()).ToHashSet();
        var declared = typeof(IFleetMessage).Assembly.GetTypes().Where(t => typeof(IFleetMessage).IsAssignableFrom(t) && !t.IsInterface).ToList();

        Assert.Equal(17, declared.Count);
        Assert.All(declared, type => Assert.Contains(type, covered));
    }

    [Fact]
    public void A_truncated_message_is_refused_with_a_serialization_error()
    {
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(FleetCoordinator.HostReport));
        var bytes = serializer.ToBinary(new FleetCoordinator.HostReport("a", ["b"], 7, 1, 1, "c", 2, [Worker], null));

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes[..^3], "hr"));
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_a_serialization_error()
    {
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(FleetCoordinator.HostReport));

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "zz"));
    }

    [Fact]
    public void A_list_count_larger_than_the_message_is_refused_before_anything_is_allocated()
    {
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(FleetCoordinator.FleetStatus));
        byte[] bytes = [.. BitConverter.GetBytes(1L), 0, .. BitConverter.GetBytes(int.MaxValue)];

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, "fs"));
    }
}
