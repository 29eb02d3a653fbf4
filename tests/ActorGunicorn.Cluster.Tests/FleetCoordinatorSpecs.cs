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
    private readonly System.Collections.Concurrent.ConcurrentQueue<FleetCoordinator.RolloutRecord> _handedOn = new();
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
        // Every step of a rollout is handed to the agents; kept aside here so the commands can be expected in order.
        _agent.IgnoreMessages(message => message is FleetCoordinator.RolloutRecord record && Keep(record));
        _coordinator = Sys.ActorOf(FleetCoordinator.Props(FleetCoordinatorSettings.Default));
        AwaitAssert(() => Assert.Equal(Akka.Cluster.MemberStatus.Up, cluster.SelfMember.Status), TimeSpan.FromSeconds(10));
    }

    private void Report(params FleetCoordinator.WorkerEntry[] workers) => Report(0, string.Empty, workers);

    private void Report(long configVersion, string configText, params FleetCoordinator.WorkerEntry[] workers) =>
        _coordinator.Tell(new FleetCoordinator.HostReport(_self, ["arbiter"], 4242, configVersion, configVersion, configText, workers.Length, workers, null), _agent.Ref);

    private void Report(FleetCoordinator.RolloutRecord rollout) =>
        _coordinator.Tell(new FleetCoordinator.HostReport(_self, ["arbiter"], 4242, 0, 0, string.Empty, 1, [Running], rollout), _agent.Ref);

    private FleetCoordinator.RolloutProgress Poll(long rolloutId)
    {
        _coordinator.Tell(new FleetCoordinator.GetRollout(rolloutId), TestActor);
        return ExpectMsg<FleetCoordinator.RolloutProgress>();
    }

    private static Config Overlay(HostAgent.ApplyConfig apply) => ConfigurationFactory.ParseString(apply.Hocon);

    private void Distribute(string hocon, params string[] unset) =>
        _coordinator.Tell(new FleetCoordinator.DistributeConfig(hocon, unset, RolloutId: 1000 + hocon.Length), TestActor);

    // The agent accepts the overlay and reloads; the coordinator answers the caller.
    private string AcceptAndReload()
    {
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        var reload = _agent.ExpectMsg<HostAgent.ReloadHost>();
        _coordinator.Tell(new HostAgent.HostReloaded(reload.RequestId, _self), _agent.Ref);
        return ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary;
    }

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

        _coordinator.Tell(new FleetCoordinator.RollingReload(1), TestActor);
        var reload = _agent.ExpectMsg<HostAgent.ReloadHost>();
        _coordinator.Tell(new FleetCoordinator.RollingReload(2), TestActor);
        Assert.Contains("already running", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        _coordinator.Tell(new HostAgent.HostReloaded(reload.RequestId, _self), _agent.Ref);

        Assert.StartsWith("rolling reload done: 1 host (", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
    }

    private bool Keep(FleetCoordinator.RolloutRecord record)
    {
        _handedOn.Enqueue(record);
        return true;
    }

    [Fact]
    public void A_coordinator_must_hand_every_step_of_a_rollout_to_the_agents_and_tell_a_poller_how_it_stands()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));
        Assert.Equal(RolloutState.Unknown, Poll(77).State);

        _coordinator.Tell(new FleetCoordinator.RollingReload(77), TestActor);
        var reload = _agent.ExpectMsg<HostAgent.ReloadHost>();
        Assert.Equal(77, reload.RequestId);
        Assert.Equal((RolloutState.Running, $"rolling reload: reloading {FleetText.HostOf(_self)} (1 of 1)"), (Poll(77).State, Poll(77).Summary));
        _coordinator.Tell(new HostAgent.HostReloaded(77, _self), _agent.Ref);
        var answer = ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary;

        Assert.Equal((RolloutState.Done, answer), (Poll(77).State, Poll(77).Summary));
        // Queued, reloading this host, this host done, finished: each step before anything acted on it.
        AwaitAssert(() => Assert.Equal(4, _handedOn.Count));
        Assert.Equal(
            [(0, null, 1, 0, RolloutState.Running), (1, _self, 0, 0, RolloutState.Running), (2, null, 0, 1, RolloutState.Running), (3, null, 0, 1, RolloutState.Done)],
            _handedOn.Select(r => (r.Step, r.Current, r.Pending.Count, r.Done.Count, r.State)));
        Assert.Equal(answer, _handedOn.Last().Outcome);
    }

    [Fact]
    public void A_coordinator_that_took_over_must_resume_the_rollout_its_predecessor_handed_the_agents()
    {
        const string Gone = "akka.tcp://actorgunicorn@10.9.9.9:4053";
        // The predecessor had reloaded one host and was reloading this one when its node died.
        Report(new FleetCoordinator.RolloutRecord(91, 3, [], _self, [Gone], [], "config version 4 accepted by 2 hosts", RolloutState.Running, null));

        // Asked again with the same id: an agent whose new workers already serve answers at once.
        Assert.Equal(91, _agent.ExpectMsg<HostAgent.ReloadHost>(TimeSpan.FromSeconds(5)).RequestId);
        Assert.Equal(RolloutState.Running, Poll(91).State);
        _coordinator.Tell(new HostAgent.HostReloaded(91, _self), _agent.Ref);

        AwaitAssert(() => Assert.Equal(RolloutState.Done, Poll(91).State));
        Assert.Equal($"config version 4 accepted by 2 hosts; rolling reload done: 2 hosts (10.9.9.9:4053, {FleetText.HostOf(_self)})", Poll(91).Summary);
    }

    [Fact]
    public void A_coordinator_must_not_resume_a_finished_rollout_and_must_answer_its_caller_from_the_outcome()
    {
        Report(new FleetCoordinator.RolloutRecord(92, 4, [], null, [_self], [], null, RolloutState.Done, "rolling reload done: 1 host (x)"));
        AwaitAssert(() => Assert.Equal(RolloutState.Done, Poll(92).State));

        _coordinator.Tell(new FleetCoordinator.RollingReload(92), TestActor);

        Assert.Equal("rolling reload done: 1 host (x)", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void A_coordinator_must_apply_an_overlay_only_when_every_host_accepts_it_and_then_reload()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        Distribute("actorgunicorn.timeout = 45");
        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal(1L, apply.Version);
        Assert.Equal(TimeSpan.FromSeconds(45), Overlay(apply).GetTimeSpan("actorgunicorn.timeout"));

        Assert.StartsWith("config version 1 accepted by 1 host; rolling reload done: 1 host", AcceptAndReload(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_must_merge_an_overlay_into_the_one_in_force_and_remove_the_keys_it_is_told_to_unset()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));
        Distribute("actorgunicorn { timeout = 45, max-requests = 1000 }");
        _agent.ExpectMsg<HostAgent.ApplyConfig>();
        AcceptAndReload();

        // A second overlay naming one key keeps the others, as a later configuration layer would.
        Distribute("actorgunicorn.keepalive = 5");
        var second = Overlay(_agent.ExpectMsg<HostAgent.ApplyConfig>());
        Assert.Equal((45.0, 1000, 5.0), (second.GetTimeSpan("actorgunicorn.timeout").TotalSeconds, second.GetInt("actorgunicorn.max-requests"), second.GetTimeSpan("actorgunicorn.keepalive").TotalSeconds));
        AcceptAndReload();

        // --unset takes a key out, so each host's own configuration decides it again.
        Distribute(string.Empty, "max-requests");
        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal(3L, apply.Version);
        Assert.False(Overlay(apply).HasPath("actorgunicorn.max-requests"), apply.Hocon);
        Assert.True(Overlay(apply).HasPath("actorgunicorn.timeout"), apply.Hocon);
        AcceptAndReload();
    }

    [Theory]
    [InlineData("actorgunicorn { max-requestz = 10 }", "actorgunicorn.max-requestz is not a setting; did you mean actorgunicorn.max-requests?")]
    [InlineData("workers = 3", "'workers' is outside actorgunicorn { }")]
    [InlineData("actorgunicorn.workers = 0", "'0' must be at least 1")]
    [InlineData("actorgunicorn { workers = 2", "is never closed")]
    public void A_coordinator_must_refuse_an_overlay_that_is_no_valid_configuration_without_asking_a_host(string hocon, string problem)
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        Distribute(hocon);

        var refused = ExpectMsg<FleetCoordinator.CommandFailed>().Reason;
        Assert.StartsWith("the overlay was refused, nothing was reloaded: ", refused, StringComparison.Ordinal);
        Assert.Contains(problem, refused, StringComparison.Ordinal);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0L, Host().ConfigVersion);
    }

    [Fact]
    public void A_coordinator_must_refuse_to_unset_a_key_that_is_no_setting()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        Distribute(string.Empty, "max_requests");

        Assert.Contains("--unset: actorgunicorn.max_requests is not a setting; did you mean actorgunicorn.max-requests?", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_coordinator_must_answer_an_overlay_that_changes_nothing_without_a_reload()
    {
        Report(1, "actorgunicorn {\n  timeout = 45s\n}\n", Running);
        AwaitAssert(() => Assert.Equal(1L, Host().ConfigVersion));

        Distribute("actorgunicorn.timeout = 45");

        Assert.Contains("already holds these settings; nothing was reloaded", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_coordinator_that_took_over_must_merge_into_the_overlay_the_hosts_report_and_bring_a_lagging_host_to_it()
    {
        // This coordinator distributed nothing: it learns version 2 and its text from a host's report, as a
        // coordinator does after the singleton moved.
        Report(2, "actorgunicorn {\n  timeout = 45s\n}\n", Running);
        AwaitAssert(() => Assert.Equal(2L, Host().ConfigVersion));

        Distribute("actorgunicorn.max-requests = 10");
        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal(3L, apply.Version);
        Assert.Equal((45.0, 10), (Overlay(apply).GetTimeSpan("actorgunicorn.timeout").TotalSeconds, Overlay(apply).GetInt("actorgunicorn.max-requests")));
        AcceptAndReload();

        // The host comes back without the overlay (a restart): it is sent the fleet's version and reloaded.
        Report(0, string.Empty, Running);
        var caughtUp = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal((3L, apply.Hocon), (caughtUp.Version, caughtUp.Hocon));
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        _agent.ExpectMsg<HostAgent.ReloadHost>();
    }

    [Fact]
    public void A_coordinator_must_send_the_overlay_to_a_host_that_reports_an_older_version_and_reload_it()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));
        Distribute("actorgunicorn.timeout = 45");
        var first = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        AcceptAndReload();

        // The host restarts without the overlay: its report says version 0.
        Report(Running);

        var apply = _agent.ExpectMsg<HostAgent.ApplyConfig>();
        Assert.Equal((1L, first.Hocon), (apply.Version, apply.Hocon));
        _agent.Reply(new FleetCoordinator.CommandSucceeded("accepted"));
        _agent.ExpectMsg<HostAgent.ReloadHost>();
    }

    [Fact]
    public void A_coordinator_must_reload_nothing_when_a_host_refuses_the_overlay()
    {
        Report(Running);
        AwaitAssert(() => Assert.True(Host().Healthy));

        // Valid on its own; the host refuses it over its own configuration (say, --workers 4 there).
        Distribute("actorgunicorn.max-workers = 2");
        _agent.ExpectMsg<HostAgent.ApplyConfig>();
        _agent.Reply(new FleetCoordinator.CommandFailed("host: max-workers '2' must be at least workers (4)"));

        Assert.Contains("must be at least workers (4)", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        _agent.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0L, Host().ConfigVersion);
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
