using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

/// <summary>
/// The host agent against a stand-in arbiter (a probe whose autopilot answers as the arbiter does) and a stand-in
/// coordinator, in an actor system with the cluster provider (the agent reads its own cluster address).
/// </summary>
public sealed class HostAgentSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly TestProbe _arbiter;
    private readonly TestProbe _coordinator;
    private readonly ConfigurationOverlay _overlay = new();
    private readonly List<object> _commands = [];
    private readonly Lock _lock = new();
    private Arbiter.Status _status = new(2, 2, 2, [Worker(1, "Running"), Worker(2, "Running")]);
    private readonly List<IActorRef> _unansweredReloads = [];
    private bool _holdReloadAnswers;

    public HostAgentSpecs()
        : base(ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """))
    {
        _arbiter = CreateTestProbe();
        _coordinator = CreateTestProbe();
        _arbiter.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            lock (_lock)
            {
                switch (message)
                {
                    case Arbiter.GetStatus:
                        sender.Tell(_status);
                        break;
                    case Arbiter.Reload when _holdReloadAnswers:
                        _commands.Add(message);
                        _unansweredReloads.Add(sender);
                        break;
                    default:
                        _commands.Add(message);
                        sender.Tell(new Arbiter.CommandAccepted("ok"));
                        break;
                }
            }

            return AutoPilot.KeepRunning;
        }));
    }

    private static Arbiter.WorkerStatus Worker(int age, string state) => new(1000 + age, age, state, 5, 0, 1 << 20, 0, TimeSpan.FromSeconds(age));

    private IActorRef StartAgent(TimeSpan? reloadTimeout = null) =>
        Sys.ActorOf(HostAgent.Props(_arbiter.Ref, _coordinator.Ref, _overlay, ReferenceConfig.Load(), reloadTimeout));

    private void SetStatus(Arbiter.Status status)
    {
        lock (_lock)
        {
            _status = status;
        }
    }

    [Fact]
    public void A_host_agent_must_report_its_arbiters_workers_to_the_coordinator_every_second()
    {
        StartAgent();

        var report = _coordinator.ExpectMsg<FleetCoordinator.HostReport>();

        Assert.Equal(2, report.DesiredWorkers);
        Assert.Equal([1001, 1002], report.Workers.Select(w => w.Pid));
        Assert.Contains("akka.tcp://", report.Address, StringComparison.Ordinal);
        Assert.Empty(report.Roles); // this test system has no roles; Akka's own dc-default is not shown
        _coordinator.ExpectMsg<FleetCoordinator.HostReport>(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_host_agent_must_answer_a_reload_only_once_the_new_generation_serves()
    {
        var agent = StartAgent();

        agent.Tell(new HostAgent.ReloadHost(7), TestActor);
        AwaitCondition(() => { lock (_lock) { return _commands.Contains(Arbiter.Reload.Instance); } });
        // New workers booting, old ones still serving: not done.
        SetStatus(new Arbiter.Status(2, 2, 2, [Worker(1, "Replacing"), Worker(2, "Replacing"), Worker(3, "Running"), Worker(4, "Booting")]));
        ExpectNoMsg(TimeSpan.FromSeconds(1.5));
        SetStatus(new Arbiter.Status(2, 2, 2, [Worker(1, "Leaving"), Worker(3, "Running"), Worker(4, "Running")]));

        var done = ExpectMsg<HostAgent.HostReloaded>(TimeSpan.FromSeconds(5));
        Assert.Equal(7, done.RequestId);
    }

    [Fact]
    public void A_host_agent_must_answer_whoever_asked_last_for_the_same_reload_and_answer_it_again_at_once_when_done()
    {
        var agent = StartAgent();
        var firstCoordinator = CreateTestProbe();
        agent.Tell(new HostAgent.ReloadHost(7), firstCoordinator.Ref);
        AwaitCondition(() => { lock (_lock) { return _commands.Contains(Arbiter.Reload.Instance); } });

        // The coordinator moved; its successor resumes the rollout and asks for the same reload.
        agent.Tell(new HostAgent.ReloadHost(7), TestActor);
        SetStatus(new Arbiter.Status(2, 2, 2, [Worker(3, "Running"), Worker(4, "Running")]));

        Assert.Equal(7, ExpectMsg<HostAgent.HostReloaded>(TimeSpan.FromSeconds(5)).RequestId);
        firstCoordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        agent.Tell(new HostAgent.ReloadHost(7), TestActor);
        Assert.Equal(7, ExpectMsg<HostAgent.HostReloaded>().RequestId);
        lock (_lock)
        {
            Assert.Single(_commands, c => c is Arbiter.Reload);
        }
    }

    [Fact]
    public void A_host_agent_must_report_the_newest_record_of_a_rollout_it_was_handed()
    {
        var agent = StartAgent();
        var step1 = new FleetCoordinator.RolloutRecord(5, 1, ["b"], "a", [], [], null, RolloutState.Running, null);
        agent.Tell(step1 with { Step = 2, Pending = [], Current = "b", Done = ["a"] });
        agent.Tell(step1);

        var report = _coordinator.FishForMessage<FleetCoordinator.HostReport>(r => r.Rollout is not null, TimeSpan.FromSeconds(5));
        Assert.Equal((5L, 2, "b"), (report.Rollout!.RolloutId, report.Rollout.Step, report.Rollout.Current));
    }

    [Fact]
    public void A_host_agent_must_refuse_a_second_reload_while_one_runs()
    {
        var agent = StartAgent();
        agent.Tell(new HostAgent.ReloadHost(1), TestActor);
        AwaitCondition(() => { lock (_lock) { return _commands.Contains(Arbiter.Reload.Instance); } });

        agent.Tell(new HostAgent.ReloadHost(2), TestActor);

        Assert.Contains("already reloading", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_agent_must_refuse_a_second_reload_before_the_arbiter_has_answered_the_first()
    {
        lock (_lock) { _holdReloadAnswers = true; }
        var agent = StartAgent();
        agent.Tell(new HostAgent.ReloadHost(1), TestActor);
        AwaitCondition(() => { lock (_lock) { return _unansweredReloads.Count == 1; } });

        agent.Tell(new HostAgent.ReloadHost(2), TestActor);

        Assert.Contains("already reloading", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        lock (_lock) { Assert.Single(_commands, c => c is Arbiter.Reload); }
    }

    [Fact]
    public void A_host_agent_must_take_reloads_again_after_one_that_never_completed()
    {
        var agent = StartAgent(reloadTimeout: TimeSpan.FromSeconds(1));
        agent.Tell(new HostAgent.ReloadHost(1), TestActor);
        AwaitCondition(() => { lock (_lock) { return _commands.Count == 1; } });

        // The new generation never serves (the status keeps only the old workers).
        ExpectNoMsg(TimeSpan.FromSeconds(1.5));
        agent.Tell(new HostAgent.ReloadHost(2), TestActor);

        AwaitCondition(() => { lock (_lock) { return _commands.Count(c => c is Arbiter.Reload) == 2; } });
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(5, "AddWorkers", 3)]
    [InlineData(1, "RemoveWorkers", 1)]
    public void A_host_agent_must_scale_its_arbiter_by_the_difference(int target, string command, int count)
    {
        var agent = StartAgent();

        agent.Tell(new HostAgent.ScaleHost(target), TestActor);

        Assert.EndsWith($"workers 2 -> {target}", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
        lock (_lock)
        {
            var sent = Assert.Single(_commands);
            Assert.Equal(command, sent.GetType().Name);
            Assert.Equal(count, sent is Arbiter.AddWorkers add ? add.Count : ((Arbiter.RemoveWorkers)sent).Count);
        }
    }

    [Fact]
    public void A_host_agent_must_scale_a_host_that_follows_its_load_by_its_floor_not_its_current_count()
    {
        // One worker of floor, two more the load brought: scale 4 moves the floor from 1 to 4.
        SetStatus(new Arbiter.Status(3, 1, 3, [Worker(1, "Running"), Worker(2, "Running"), Worker(3, "Running")]));
        var agent = StartAgent();

        agent.Tell(new HostAgent.ScaleHost(4), TestActor);

        Assert.EndsWith("workers 1 -> 4", ExpectMsg<FleetCoordinator.CommandSucceeded>().Summary, StringComparison.Ordinal);
        lock (_lock)
        {
            Assert.Equal(new Arbiter.AddWorkers(3), Assert.Single(_commands));
        }
    }

    [Fact]
    public void A_host_agent_must_keep_the_count_it_scaled_to_across_reloads_and_overlays_until_an_overlay_sets_workers()
    {
        var agent = StartAgent();
        agent.Tell(new HostAgent.ScaleHost(5), TestActor);
        ExpectMsg<FleetCoordinator.CommandSucceeded>();

        // A reload reads the configuration again (here --workers 2); the fleet's count stays on top of it.
        Assert.Equal(5, ReloadedSettings().Workers);
        agent.Tell(new HostAgent.ApplyConfig(1, "actorgunicorn { timeout = 45 }"), TestActor);
        ExpectMsg<FleetCoordinator.CommandSucceeded>();
        Assert.Equal((5, TimeSpan.FromSeconds(45)), (ReloadedSettings().Workers, ReloadedSettings().Timeout));

        // An overlay that names workers is the operator's newer word.
        agent.Tell(new HostAgent.ApplyConfig(2, "actorgunicorn { workers = 3 }"), TestActor);
        ExpectMsg<FleetCoordinator.CommandSucceeded>();
        Assert.Equal(3, ReloadedSettings().Workers);
    }

    private ServerSettings ReloadedSettings() =>
        _overlay.ApplyTo(SettingsLoader.Load(["-w", "2", "app:app"], new Dictionary<string, string?>(), AppContext.BaseDirectory)).Settings;

    [Fact]
    public void A_host_agent_must_keep_a_valid_overlay_and_refuse_an_invalid_one_naming_the_setting()
    {
        var agent = StartAgent();

        agent.Tell(new HostAgent.ApplyConfig(3, "actorgunicorn { workers = 0 }"), TestActor);
        Assert.Contains("-w/--workers / actorgunicorn.workers: '0' must be at least 1", ExpectMsg<FleetCoordinator.CommandFailed>().Reason, StringComparison.Ordinal);
        Assert.Equal(0, _overlay.Version);

        agent.Tell(new HostAgent.ApplyConfig(4, "actorgunicorn { timeout = 45 }"), TestActor);
        ExpectMsg<FleetCoordinator.CommandSucceeded>();
        Assert.Equal(4, _overlay.Version);
        // Held, not yet served: the workers run with it only once a reload is done.
        Assert.Equal(0, _coordinator.FishForMessage<FleetCoordinator.HostReport>(r => r.ConfigVersion == 4, TimeSpan.FromSeconds(5)).ServingConfigVersion);
        agent.Tell(new HostAgent.ReloadHost(9), TestActor);
        AwaitCondition(() => { lock (_lock) { return _commands.Contains(Arbiter.Reload.Instance); } });
        SetStatus(new Arbiter.Status(2, 2, 2, [Worker(3, "Running"), Worker(4, "Running")]));
        ExpectMsg<HostAgent.HostReloaded>(TimeSpan.FromSeconds(5));
        _coordinator.FishForMessage<FleetCoordinator.HostReport>(r => r.ServingConfigVersion == 4, TimeSpan.FromSeconds(5));
    }
}
