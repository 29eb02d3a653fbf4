using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

/// <summary>
/// The fleet coordinator in a one-node cluster (the test system joins itself), with a probe standing in for that
/// node's host agent: it reports, and answers the commands as an agent would.
/// </summary>
public sealed class FleetCoordinatorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly FleetCoordinator.WorkerEntry Running = new(101, 1, "Running", TimeSpan.FromSeconds(3), 0, 0);

    private readonly TestProbe _agent;
    private readonly string _self;
    private readonly IActorRef _coordinator;

    public FleetCoordinatorSpecs()
        : base(ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """))
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        _self = cluster.SelfAddress.ToString();
        _agent = CreateTestProbe();
        _coordinator = Sys.ActorOf(FleetCoordinator.Props(FleetCoordinatorSettings.Default));
        AwaitAssert(() => Assert.Equal(Akka.Cluster.MemberStatus.Up, cluster.SelfMember.Status), TimeSpan.FromSeconds(10));
    }

    private void Report(params FleetCoordinator.WorkerEntry[] workers) =>
        _coordinator.Tell(new FleetCoordinator.HostReport(_self, ["arbiter"], 0, workers.Length, workers), _agent.Ref);

    private FleetCoordinator.HostEntry Host()
    {
        _coordinator.Tell(FleetCoordinator.GetFleetStatus.Instance, TestActor);
        return Assert.Single(ExpectMsg<FleetCoordinator.FleetStatus>().Hosts);
    }

    [Fact]
    public void A_coordinator_must_show_a_member_that_reports_running_workers_as_up_and_healthy()
    {
        Report(Running);

        AwaitAssert(() =>
        {
            var host = Host();
            Assert.Equal(("Up", true), (host.MemberStatus, host.Healthy));
            Assert.Equal([101], host.Workers.Select(w => w.Pid));
        });
    }

    [Fact]
    public void A_coordinator_must_not_count_a_host_without_a_running_worker_as_healthy()
    {
        Report(Running with { State = "Booting" });

        AwaitAssert(() =>
        {
            var host = Host();
            Assert.Equal([101], host.Workers.Select(w => w.Pid));
            Assert.Equal(("Up", false), (host.MemberStatus, host.Healthy));
        });
    }

    [Fact]
    public void A_coordinator_must_answer_a_rolling_reload_once_every_host_has_reloaded()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        _coordinator.Tell(FleetCoordinator.RollingReload.Instance, TestActor);
        var reload = _agent.ExpectMsg<HostAgent.ReloadHost>();
        _coordinator.Tell(FleetCoordinator.RollingReload.Instance, TestActor);
        Assert.Contains("already running", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        _coordinator.Tell(new HostAgent.HostReloaded(reload.RequestId, _self), _agent.Ref);

        Assert.StartsWith("rolling reload done: 1 hosts", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_must_apply_an_overlay_only_when_every_host_accepts_it_and_then_reload()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        _coordinator.Tell(new FleetCoordinator.DistributeConfig("actorgunicorn.timeout = 45"), TestActor);
        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal((1L, "actorgunicorn.timeout = 45"), (apply.Version, apply.Hocon));
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        var reload = _agent.ExpectMsg<HostAgent.ReloadHost>();
        _coordinator.Tell(new HostAgent.HostReloaded(reload.RequestId, _self), _agent.Ref);

        Assert.StartsWith("config version 1 on 1 hosts; rolling reload done", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_must_send_the_overlay_to_a_host_that_reports_an_older_version_and_reload_it()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));
        _coordinator.Tell(new FleetCoordinator.DistributeConfig("actorgunicorn.timeout = 45"), TestActor);
        _agent.ExpectMsg<HostAgent.ApplyConfig>();
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        var first = _agent.ExpectMsg<HostAgent.ReloadHost>();
        _coordinator.Tell(new HostAgent.HostReloaded(first.RequestId, _self), _agent.Ref);
        ExpectMsg<FleetCoordinator.CommandSucceeded>();

        // The host restarts without the overlay: its report says version 0.
        Report(Running);

        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal((1L, "actorgunicorn.timeout = 45"), (apply.Version, apply.Hocon));
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        Assert.NotEqual(first.RequestId, _agent.ExpectMsg<HostAgent.ReloadHost>().RequestId);
    }

    [Fact]
    public void A_coordinator_must_reload_nothing_when_a_host_refuses_the_overlay()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        _coordinator.Tell(new FleetCoordinator.DistributeConfig("actorgunicorn.workers = 0"), TestActor);
        _agent.ExpectMsg<HostAgent.ApplyConfig>();
        _agent.Reply(new FleetCoordinator.CommandFailed("host: '0' must be at least 1"));

        Assert.Contains("'0' must be at least 1", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void A_coordinator_must_refuse_a_total_the_hosts_cannot_run()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        _coordinator.Tell(new FleetCoordinator.Scale(ScaleMode.Total, 101), TestActor);

        Assert.Contains("from 1 to 100", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
    }
}
