using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// The fleet coordinator. Behaviours: <see cref="Idle"/> and <see cref="RollingOut"/> (a rolling reload in progress,
/// stepped by a tick through <see cref="RollingReloadDecisions"/>). It learns membership from cluster events and each
/// host's workers from its agent's reports; commands to hosts are direct messages to their agents.
/// </summary>
internal sealed class FleetCoordinatorActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RolloutTick = TimeSpan.FromMilliseconds(250);

    private readonly FleetCoordinatorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, HostRecord> _hosts = new(StringComparer.Ordinal);
    private long _configVersion;

    // The overlay of _configVersion, for updates to merge into and for hosts that join later: as this coordinator
    // distributed it, or as a host at that version reported it (a coordinator that took over learns it so). Null
    // while no report at that version has come in.
    private string? _configText;
    private readonly HashSet<string> _catchingUp = new(StringComparer.Ordinal);
    private long _nextRequestId;

    public FleetCoordinatorActor(FleetCoordinatorSettings settings)
    {
        _settings = settings;
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Idle()
    {
        Common(activity: null);
        Receive<FleetCoordinator.RollingReload>(_ => StartRollout(Sender, ServingHosts().Select(h => h.Address).ToList(), summaryPrefix: null));
        Receive<FleetCoordinator.DistributeConfig>(distribute =>
        {
            switch (FleetDecisions.MergeOverlay(_configVersion, _configText, distribute))
            {
                case OverlayMerge.Merged merged:
                    var version = _configVersion + 1;
                    var requester = Sender;
                    AskAgents(ServingHosts(), _ => new HostAgent.ApplyConfig(version, merged.Text))
                        .PipeTo(Self, success: replies => new ConfigApplied(version, merged.Text, requester, replies, CatchingUp: null));
                    break;
                case OverlayMerge.Unchanged:
                    Sender.Tell(new FleetCoordinator.CommandSucceeded($"config version {_configVersion} already holds these settings; nothing was reloaded"));
                    break;
                case OverlayMerge.Refused refused:
                    Sender.Tell(new FleetCoordinator.CommandFailed($"the overlay was refused, nothing was reloaded: {refused.Reason}"));
                    break;
                default:
                    Sender.Tell(new FleetCoordinator.CommandFailed($"this coordinator has not yet heard config version {_configVersion} from a host; try again in a few seconds"));
                    break;
            }
        });
        Receive<HostLagsBehind>(lagging =>
        {
            // A host that joined (or restarted) after the overlay was distributed gets it, and a reload of its own,
            // which the capacity rule allows like any rollout step.
            if (_configText is null || !_catchingUp.Add(lagging.Address) || !_hosts.TryGetValue(lagging.Address, out var host))
            {
                return;
            }

            _log.Info("Host {0} runs config version {1}; sending version {2}", FleetText.HostOf(lagging.Address), lagging.Version, _configVersion);
            var (version, text) = (_configVersion, _configText);
            AskAgents([host], _ => new HostAgent.ApplyConfig(version, text))
                .PipeTo(Self, success: replies => new ConfigApplied(version, text, ActorRefs.Nobody, replies, CatchingUp: lagging.Address));
        });
        Receive<ConfigApplied>(applied =>
        {
            if (applied.CatchingUp is { } lagging)
            {
                _catchingUp.Remove(lagging);
                if (applied.Replies.All(r => r is FleetCoordinator.CommandSucceeded) && applied.Replies.Count > 0)
                {
                    StartRollout(ActorRefs.Nobody, [lagging], summaryPrefix: $"config version {applied.Version} caught up on {FleetText.HostOf(lagging)}");
                }

                return;
            }

            var failures = applied.Replies.OfType<FleetCoordinator.CommandFailed>().ToList();
            if (failures.Count > 0 || applied.Replies.Count == 0)
            {
                applied.Requester.Tell(new FleetCoordinator.CommandFailed(applied.Replies.Count == 0
                    ? "no host is up to take the configuration"
                    : "the overlay was refused, nothing was reloaded:\n" + string.Join('\n', failures.Select(f => f.Reason))));
                return;
            }

            _configVersion = applied.Version;
            _configText = applied.Hocon;
            _log.Info("Fleet configuration version {0} accepted by {1} hosts; rolling reload follows", applied.Version, applied.Replies.Count);
            StartRollout(applied.Requester, ServingHosts().Select(h => h.Address).ToList(), summaryPrefix: $"config version {applied.Version} accepted by {FleetText.Count(applied.Replies.Count, "host")}");
        });
    }

    private void RollingOut(RolloutRun run)
    {
        Common(activity: run.Rollout.Describe());
        Receive<FleetCoordinator.RollingReload>(_ => Sender.Tell(new FleetCoordinator.CommandFailed("a rolling reload is already running: " + run.Rollout.Describe())));
        Receive<FleetCoordinator.DistributeConfig>(_ => Sender.Tell(new FleetCoordinator.CommandFailed("a rolling reload is running; send the configuration when it is done")));
        Receive<HostAgent.HostReloaded>(done =>
        {
            if (done.RequestId == run.RequestId && done.Address == run.Rollout.Current)
            {
                _log.Info("Rolling reload: {0} serves with its new workers", FleetText.HostOf(done.Address));
                Become(() => RollingOut(run with { Rollout = run.Rollout.CompleteCurrent() }));
                Self.Tell(RolloutStepDue.Instance);
            }
        });
        Receive<FleetCoordinator.CommandFailed>(failed => Finish(run, new RolloutStep.Failed(failed.Reason)));
        Receive<RolloutStepDue>(_ => Step(run));
    }

    private void Common(string? activity)
    {
        Receive<ClusterEvent.IMemberEvent>(OnMemberEvent);
        Receive<ClusterEvent.UnreachableMember>(e => Host(e.Member.Address.ToString()).Reachable = false);
        Receive<ClusterEvent.ReachableMember>(e => Host(e.Member.Address.ToString()).Reachable = true);
        Receive<FleetCoordinator.HostReport>(report =>
        {
            var host = Host(report.Address);
            host.Report = report;
            host.ReportedAtMs = Environment.TickCount64;
            host.Agent = Sender;
            if (report.ConfigVersion > _configVersion || (report.ConfigVersion == _configVersion && _configText is null))
            {
                (_configVersion, _configText) = (report.ConfigVersion, report.ConfigText);
            }

            if (report.ConfigVersion < _configVersion)
            {
                Self.Tell(new HostLagsBehind(report.Address, report.ConfigVersion));
            }
        });
        Receive<FleetCoordinator.GetFleetStatus>(_ => Sender.Tell(Describe(activity)));
        Receive<FleetCoordinator.Scale>(scale =>
        {
            var hosts = ServingHosts().Select(h => h.Address).ToList();
            if (FleetDecisions.SplitWorkers(scale.Mode, scale.Count, hosts, out var targets) is { } problem)
            {
                Sender.Tell(new FleetCoordinator.CommandFailed(problem));
                return;
            }

            var requester = Sender;
            AskAgents(ServingHosts(), address => new HostAgent.ScaleHost(targets[address])).PipeTo(requester, success: Summarise);
        });
    }

    private void StartRollout(IActorRef requester, List<string> hosts, string? summaryPrefix)
    {
        if (hosts.Count == 0)
        {
            requester.Tell(new FleetCoordinator.CommandFailed("no host is up to reload"));
            return;
        }

        var run = new RolloutRun(Rollout.Of(hosts), requester, ++_nextRequestId, summaryPrefix);
        _log.Info("Rolling reload of {0} hosts: {1}", hosts.Count, string.Join(", ", hosts.Select(FleetText.HostOf)));
        Become(() => RollingOut(run));
        Timers.StartPeriodicTimer(nameof(RolloutStepDue), RolloutStepDue.Instance, RolloutTick);
        Self.Tell(RolloutStepDue.Instance);
    }

    private void Step(RolloutRun run)
    {
        var views = _hosts.Values.Select(h => new RolloutHost(h.Address, h.IsMember, IsHealthy(h))).ToList();
        switch (RollingReloadDecisions.Next(run.Rollout, views, Environment.TickCount64, _settings.HostReloadTimeout))
        {
            case RolloutStep.ReloadHost reload when _hosts[reload.Address].Agent is { } agent:
                _log.Info("Rolling reload: reloading {0}", FleetText.HostOf(reload.Address));
                agent.Tell(new HostAgent.ReloadHost(run.RequestId));
                Become(() => RollingOut(run with { Rollout = run.Rollout.Start(Environment.TickCount64) }));
                break;
            case RolloutStep.ReloadHost:
                // A member that has not reported yet has no agent to tell: wait for its first report.
                break;
            case RolloutStep.SkipHost skip:
                _log.Warning("Rolling reload: {0} left the cluster before its turn", FleetText.HostOf(skip.Address));
                Become(() => RollingOut(run with { Rollout = run.Rollout.SkipNext() }));
                Self.Tell(RolloutStepDue.Instance);
                break;
            case RolloutStep.Wait:
                break;
            case var final:
                Finish(run, final);
                break;
        }
    }

    private void Finish(RolloutRun run, RolloutStep outcome)
    {
        Timers.Cancel(nameof(RolloutStepDue));
        var done = string.Join(", ", run.Rollout.Done.Select(FleetText.HostOf));
        // A rollout that follows an overlay says the overlay was accepted first: it is in force on every host even when
        // the reload stops, and the next reload of any host applies it.
        var prefix = run.SummaryPrefix is null ? string.Empty : run.SummaryPrefix + "; ";
        object reply = outcome switch
        {
            RolloutStep.Failed failed => new FleetCoordinator.CommandFailed($"{prefix}rolling reload stopped: {failed.Reason} (reloaded: {(done.Length == 0 ? "none" : done)})"),
            _ => new FleetCoordinator.CommandSucceeded(
                prefix
                + $"rolling reload done: {FleetText.Count(run.Rollout.Done.Count, "host")} ({done})"
                + (run.Rollout.Skipped.Count == 0 ? string.Empty : $", skipped {string.Join(", ", run.Rollout.Skipped.Select(FleetText.HostOf))}")),
        };
        _log.Info("{0}", reply);
        run.Requester.Tell(reply);
        Become(Idle);
    }

    private void OnMemberEvent(ClusterEvent.IMemberEvent change)
    {
        var address = change.Member.Address.ToString();
        if (change is ClusterEvent.MemberRemoved)
        {
            _log.Info("Host {0} was removed from the fleet", FleetText.HostOf(address));
            _hosts.Remove(address);
            return;
        }

        var host = Host(address);
        host.Status = change.Member.Status;
        host.Roles = [.. change.Member.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    private HostRecord Host(string address)
    {
        if (!_hosts.TryGetValue(address, out var host))
        {
            host = new HostRecord(address);
            _hosts[address] = host;
        }

        return host;
    }

    private IEnumerable<HostRecord> ServingHosts() =>
        _hosts.Values.Where(h => h.IsMember && h.Reachable && h.Agent is not null).OrderBy(h => h.Address, StringComparer.Ordinal);

    private bool IsHealthy(HostRecord host) =>
        host.IsMember && host.Status == MemberStatus.Up && host.Reachable && host.Report is { } report
        && Environment.TickCount64 - host.ReportedAtMs <= (long)_settings.ReportFreshness.TotalMilliseconds
        && report.Workers.Any(w => w.State == "Running");

    private FleetCoordinator.FleetStatus Describe(string? activity) => new(
        _configVersion,
        activity,
        [.. _hosts.Values.OrderBy(h => h.Address, StringComparer.Ordinal).Select(h => new FleetCoordinator.HostEntry(
            h.Address,
            h.Roles.Count > 0 ? h.Roles : h.Report?.Roles ?? [],
            h.Reachable ? h.Status.ToString() : "Unreachable",
            IsHealthy(h),
            h.Report?.ArbiterPid ?? 0,
            h.Report?.ConfigVersion ?? 0,
            h.Report?.DesiredWorkers ?? 0,
            h.Report?.Workers ?? []))]);

    // Asks every serving host's agent; a host that does not answer in time becomes a failure in the list.
    private Task<IReadOnlyList<object>> AskAgents(IEnumerable<HostRecord> hosts, Func<string, object> command)
    {
        var asks = hosts.Select(async host =>
        {
            try
            {
                return await host.Agent!.Ask<object>(command(host.Address), _settings.AgentTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return new FleetCoordinator.CommandFailed($"{FleetText.HostOf(host.Address)} did not answer within {_settings.AgentTimeout.TotalSeconds:0} s");
            }
        }).ToList();
        return Task.WhenAll(asks).ContinueWith(all => (IReadOnlyList<object>)all.Result, TaskScheduler.Default);
    }

    private static object Summarise(IReadOnlyList<object> replies)
    {
        var failures = replies.OfType<FleetCoordinator.CommandFailed>().Select(f => f.Reason).ToList();
        var successes = replies.OfType<FleetCoordinator.CommandSucceeded>().Select(s => s.Summary).ToList();
        return failures.Count == 0
            ? new FleetCoordinator.CommandSucceeded(string.Join('\n', successes))
            : new FleetCoordinator.CommandFailed(string.Join('\n', failures.Concat(successes)));
    }

    private sealed class HostRecord(string address)
    {
        public string Address { get; } = address;

        public MemberStatus Status { get; set; } = MemberStatus.Joining;

        public bool Reachable { get; set; } = true;

        public IReadOnlyList<string> Roles { get; set; } = [];

        public FleetCoordinator.HostReport? Report { get; set; }

        public long ReportedAtMs { get; set; }

        public IActorRef? Agent { get; set; }

        public bool IsMember => Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving;
    }

    private sealed record RolloutRun(Rollout Rollout, IActorRef Requester, long RequestId, string? SummaryPrefix);

    private sealed record ConfigApplied(long Version, string Hocon, IActorRef Requester, IReadOnlyList<object> Replies, string? CatchingUp);

    private sealed record HostLagsBehind(string Address, long Version);

    private sealed record RolloutStepDue
    {
        public static RolloutStepDue Instance { get; } = new();
    }
}
