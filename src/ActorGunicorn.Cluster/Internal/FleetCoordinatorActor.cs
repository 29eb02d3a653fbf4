using Akka.Actor;
using Akka.Cluster;

namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// The fleet coordinator. Behaviours: <see cref="Idle"/> and <see cref="RollingOut"/> (a rolling reload in progress,
/// stepped by a tick through <see cref="RollingReloadDecisions"/>). It learns membership from cluster events and each
/// host's workers from its agent's reports; commands to hosts are direct messages to their agents.
/// </summary>
internal sealed class FleetCoordinatorActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RolloutTick = TimeSpan.FromMilliseconds(250);

    // A coordinator resumes a rollout it hears of from the agents only this soon after it started: it is then the
    // successor of the one that ran it. Later, an unfinished record can only come from an agent that missed the end.
    private static readonly TimeSpan AdoptionWindow = TimeSpan.FromSeconds(60);

    private readonly FleetCoordinatorSettings _settings;
    // The server's own log, not Akka's: the fleet's decisions are INFO lines beside the arbiter's, where Akka's own
    // informational chatter is filtered out.
    private readonly Serilog.ILogger _log;
    private readonly IReadOnlyList<string> _seeds;
    private readonly Dictionary<string, HostRecord> _hosts = new(StringComparer.Ordinal);
    private long _configVersion;

    // The overlay of _configVersion, for updates to merge into and for hosts that join later: as this coordinator
    // distributed it, or as a host at that version reported it (a coordinator that took over learns it so). Null
    // while no report at that version has come in.
    private string? _configText;
    private readonly HashSet<string> _catchingUp = new(StringComparer.Ordinal);
    private readonly RolloutOutcomes _outcomes = new();

    // A host a rollout skipped (it left the cluster before or during its turn) is owed a reload should the same
    // arbiter process come back (a healed partition: its workers are the old ones). One that comes back as a new
    // process started new workers anyway. Hence the last arbiter pid each address reported, kept past its removal.
    private readonly Dictionary<string, int> _lastArbiterPid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OwedReload> _owedReloads = new(StringComparer.Ordinal);
    private readonly Queue<RolloutDue> _rolloutsDue = new();
    private readonly long _startedAtMs = Environment.TickCount64;

    public FleetCoordinatorActor(FleetCoordinatorSettings settings, Serilog.ILogger log, IReadOnlyList<string> seeds)
    {
        _seeds = seeds;
        _settings = settings;
        _log = log;
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Idle()
    {
        Common(run: null);
        Receive<FleetCoordinator.RollingReload>(reload =>
        {
            if (_outcomes.Find(reload.RolloutId) is { } outcome)
            {
                Sender.Tell(outcome.ToReply());
                return;
            }

            StartRollout(Sender, reload.RolloutId, ServingAddresses(), summaryPrefix: null);
        });
        Receive<RolloutDue>(due => StartRollout(due.Requester, due.RolloutId, due.Hosts ?? ServingAddresses(), due.SummaryPrefix));
        Receive<RolloutHeard>(heard =>
        {
            if (heard.Record.State == RolloutState.Running && _outcomes.Find(heard.Record.RolloutId) is null
                && Environment.TickCount64 - _startedAtMs <= (long)AdoptionWindow.TotalMilliseconds)
            {
                var run = new RolloutRun(Rollout.Resume(heard.Record), ActorRefs.Nobody, heard.Record.RolloutId, heard.Record.SummaryPrefix, heard.Record.Step);
                _log.Information("Fleet: resuming rolling reload {RolloutId}, which the previous coordinator left at: {Progress}", run.RequestId, run.Rollout.Describe());
                Begin(run);
            }
        });
        Receive<FleetCoordinator.DistributeConfig>(distribute =>
        {
            switch (FleetDecisions.MergeOverlay(_configVersion, _configText, distribute))
            {
                case OverlayMerge.Merged merged:
                    var version = _configVersion + 1;
                    var requester = Sender;
                    AskAgents(ServingHosts(), _ => new HostAgent.ApplyConfig(version, merged.Text))
                        .PipeTo(Self, success: replies => new ConfigApplied(version, merged.Text, requester, replies, distribute.RolloutId, CatchingUp: null));
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

            _log.Information("Fleet: {Host} runs config version {Version}; sending version {FleetVersion}", FleetText.HostOf(lagging.Address), lagging.Version, _configVersion);
            var (version, text) = (_configVersion, _configText);
            AskAgents([host], _ => new HostAgent.ApplyConfig(version, text))
                .PipeTo(Self, success: replies => new ConfigApplied(version, text, ActorRefs.Nobody, replies, Random.Shared.NextInt64(1, long.MaxValue), CatchingUp: lagging.Address));
        });
    }

    private void RollingOut(RolloutRun run)
    {
        Common(run);
        Receive<FleetCoordinator.RollingReload>(reload =>
        {
            // The caller of a resumed rollout asking again (or its answer in the log) is not a second reload.
            if (reload.RolloutId == run.RequestId)
            {
                Become(() => RollingOut(run with { Requester = Sender }));
                return;
            }

            Sender.Tell(new FleetCoordinator.CommandFailed("a rolling reload is already running: " + run.Rollout.Describe()));
        });
        Receive<FleetCoordinator.DistributeConfig>(_ => Sender.Tell(new FleetCoordinator.CommandFailed("a rolling reload is running; send the configuration when it is done")));
        Receive<HostAgent.HostReloaded>(done =>
        {
            if (done.RequestId == run.RequestId && done.Address == run.Rollout.Current)
            {
                _log.Information("Fleet: rolling reload: {Host} serves with its new workers", FleetText.HostOf(done.Address));
                Advance(run, run.Rollout.CompleteCurrent());
                Self.Tell(RolloutStepDue.Instance);
            }
        });
        Receive<FleetCoordinator.CommandFailed>(failed => Finish(run, new RolloutStep.Failed(failed.Reason)));
        Receive<RolloutStepDue>(_ => Step(run));
        Receive<RolloutHeard>(_ => { });
        // One rollout at a time: what falls due meanwhile (a host brought to the overlay, one owed a reload, an
        // overlay accepted while a catch-up ran) starts when this one ends.
        Receive<RolloutDue>(due => _rolloutsDue.Enqueue(due));
    }

    private void Common(RolloutRun? run)
    {
        var activity = run?.Rollout.Describe();
        Receive<ClusterEvent.IMemberEvent>(OnMemberEvent);
        Receive<ClusterEvent.UnreachableMember>(e => Host(e.Member.Address.ToString()).Reachable = false);
        Receive<ClusterEvent.ReachableMember>(e => Host(e.Member.Address.ToString()).Reachable = true);
        Receive<FleetCoordinator.HostReport>(report =>
        {
            var host = Host(report.Address);
            host.Report = report;
            host.ReportedAtMs = Environment.TickCount64;
            host.Agent = Sender;
            _lastArbiterPid[report.Address] = report.ArbiterPid;
            if (_owedReloads.Remove(report.Address, out var owed) && owed.ArbiterPid == report.ArbiterPid)
            {
                _log.Information("Fleet: {Host} is back after rolling reload {RolloutId} skipped it; reloading it", FleetText.HostOf(owed.Address), owed.SkippedBy);
                Self.Tell(new RolloutDue(ActorRefs.Nobody, Random.Shared.NextInt64(1, long.MaxValue), [owed.Address], $"{FleetText.HostOf(owed.Address)} came back after a rolling reload skipped it"));
            }
            if (report.ConfigVersion > _configVersion || (report.ConfigVersion == _configVersion && _configText is null))
            {
                (_configVersion, _configText) = (report.ConfigVersion, report.ConfigText);
            }

            if (report.ConfigVersion < _configVersion)
            {
                Self.Tell(new HostLagsBehind(report.Address, report.ConfigVersion));
            }

            if (report.Rollout is { } record)
            {
                _outcomes.Learn(record);
                Self.Tell(new RolloutHeard(record));
            }
        });
        // An overlay's answers may come back while a rollout runs (one a caught-up host started): the reload that
        // follows waits its turn.
        Receive<ConfigApplied>(applied =>
        {
            if (applied.CatchingUp is { } lagging)
            {
                _catchingUp.Remove(lagging);
                if (applied.Replies.All(r => r is FleetCoordinator.CommandSucceeded) && applied.Replies.Count > 0)
                {
                    Self.Tell(new RolloutDue(ActorRefs.Nobody, applied.RolloutId, [lagging], $"config version {applied.Version} caught up on {FleetText.HostOf(lagging)}"));
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
            _log.Information("Fleet: configuration version {Version} accepted by {Hosts}; rolling reload follows", applied.Version, FleetText.Count(applied.Replies.Count, "host"));
            Self.Tell(new RolloutDue(applied.Requester, applied.RolloutId, Hosts: null, $"config version {applied.Version} accepted by {FleetText.Count(applied.Replies.Count, "host")}"));
        });
        Receive<FleetCoordinator.GetRollout>(query => Sender.Tell(
            run?.RequestId == query.RolloutId ? new FleetCoordinator.RolloutProgress(query.RolloutId, RolloutState.Running, run.Rollout.Describe())
            : _outcomes.Find(query.RolloutId) is { } outcome ? outcome
            : new FleetCoordinator.RolloutProgress(query.RolloutId, RolloutState.Unknown, string.Empty)));
        Receive<FleetCoordinator.GetFleetStatus>(_ => Sender.Tell(Describe(activity)));
        Receive<FleetCoordinator.Scale>(scale =>
        {
            var hosts = ServingAddresses();
            if (FleetDecisions.SplitWorkers(scale.Mode, scale.Count, hosts, out var targets) is { } problem)
            {
                Sender.Tell(new FleetCoordinator.CommandFailed(problem));
                return;
            }

            var requester = Sender;
            AskAgents(ServingHosts(), address => new HostAgent.ScaleHost(targets[address])).PipeTo(requester, success: Summarise);
        });
    }

    private void StartRollout(IActorRef requester, long rolloutId, IReadOnlyList<string> hosts, string? summaryPrefix)
    {
        if (hosts.Count == 0)
        {
            requester.Tell(new FleetCoordinator.CommandFailed("no host is up to reload"));
            return;
        }

        _log.Information("Fleet: rolling reload of {Hosts}: {Order}", FleetText.Count(hosts.Count, "host"), string.Join(", ", hosts.Select(FleetText.HostOf)));
        Begin(new RolloutRun(Rollout.Of(hosts), requester, rolloutId, summaryPrefix, Step: 0));
    }

    private void Begin(RolloutRun run)
    {
        Replicate(run, RolloutState.Running, outcome: null);
        Become(() => RollingOut(run));
        Timers.StartPeriodicTimer(nameof(RolloutStepDue), RolloutStepDue.Instance, RolloutTick);
        Self.Tell(RolloutStepDue.Instance);
    }

    // Every change of a rollout goes to every agent before anything acts on it, so the coordinator that follows this
    // one (should its node die) resumes from where this one was.
    private void Advance(RolloutRun run, Rollout next)
    {
        var advanced = run with { Rollout = next, Step = run.Step + 1 };
        Replicate(advanced, RolloutState.Running, outcome: null);
        Become(() => RollingOut(advanced));
    }

    private void Replicate(RolloutRun run, RolloutState state, string? outcome)
    {
        var rollout = run.Rollout;
        var record = new FleetCoordinator.RolloutRecord(run.RequestId, run.Step, rollout.Pending, rollout.Current, rollout.Done, rollout.Skipped, run.SummaryPrefix, state, outcome);
        foreach (var agent in _hosts.Values.Select(h => h.Agent).OfType<IActorRef>())
        {
            agent.Tell(record);
        }
    }

    private void Step(RolloutRun run)
    {
        var views = _hosts.Values.Select(h => new RolloutHost(h.Address, h.IsMember, IsHealthy(h), h.Reachable)).ToList();
        switch (RollingReloadDecisions.Next(run.Rollout, views, Environment.TickCount64, _settings.HostReloadTimeout))
        {
            case RolloutStep.ReloadHost reload when _hosts[reload.Address].Agent is { } agent:
                _log.Information("Fleet: rolling reload: reloading {Host}", FleetText.HostOf(reload.Address));
                Advance(run, run.Rollout.Start(Environment.TickCount64));
                agent.Tell(new HostAgent.ReloadHost(run.RequestId));
                break;
            case RolloutStep.ReloadHost:
                // A member that has not reported yet has no agent to tell: wait for its first report.
                break;
            case RolloutStep.SkipHost skip:
                _log.Warning("Fleet: rolling reload: {Host} left the cluster before its turn; skipped", FleetText.HostOf(skip.Address));
                Owe(skip.Address, run.RequestId);
                Advance(run, run.Rollout.SkipNext());
                Self.Tell(RolloutStepDue.Instance);
                break;
            case RolloutStep.SkipCurrentHost skip:
                _log.Warning("Fleet: rolling reload: {Host} left the cluster during its reload; skipped", FleetText.HostOf(skip.Address));
                Owe(skip.Address, run.RequestId);
                Advance(run, run.Rollout.SkipCurrent());
                Self.Tell(RolloutStepDue.Instance);
                break;
            case RolloutStep.Wait:
                break;
            case var final:
                Finish(run, final);
                break;
        }
    }

    private void Owe(string address, long rolloutId)
    {
        if (_lastArbiterPid.TryGetValue(address, out var pid))
        {
            _owedReloads[address] = new OwedReload(address, pid, rolloutId);
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
        var (state, summary) = reply is FleetCoordinator.CommandFailed failure
            ? (RolloutState.Failed, failure.Reason)
            : (RolloutState.Done, ((FleetCoordinator.CommandSucceeded)reply).Summary);
        _log.Information("Fleet: {Outcome}", summary);
        _outcomes.Remember(new FleetCoordinator.RolloutProgress(run.RequestId, state, summary));
        Replicate(run with { Step = run.Step + 1 }, state, summary);
        run.Requester.Tell(reply);
        Become(Idle);
        if (_rolloutsDue.TryDequeue(out var due))
        {
            Self.Tell(due);
        }
    }

    private void OnMemberEvent(ClusterEvent.IMemberEvent change)
    {
        var address = change.Member.Address.ToString();
        if (change is ClusterEvent.MemberRemoved)
        {
            _log.Information("Fleet: {Host} was removed", FleetText.HostOf(address));
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

    // A rollout's plan: the hosts that serve now, in a fixed order.
    private List<string> ServingAddresses() => ServingHosts().Select(h => h.Address).ToList();

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
            h.Report?.ServingConfigVersion ?? 0,
            h.Report?.DesiredWorkers ?? 0,
            h.Report is null ? null : TimeSpan.FromMilliseconds(Environment.TickCount64 - h.ReportedAtMs),
            h.Report?.Workers ?? []))],
        [.. _seeds.Where(seed => !_hosts.Keys.Any(address => FleetText.HostOf(address) == seed))]);

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

    private sealed record RolloutRun(Rollout Rollout, IActorRef Requester, long RequestId, string? SummaryPrefix, int Step);

    private sealed record ConfigApplied(long Version, string Hocon, IActorRef Requester, IReadOnlyList<object> Replies, long RolloutId, string? CatchingUp);

    private sealed record RolloutHeard(FleetCoordinator.RolloutRecord Record);

    private sealed record HostLagsBehind(string Address, long Version);

    private sealed record OwedReload(string Address, int ArbiterPid, long SkippedBy);

    // A rollout to start once none runs; Hosts null means every host serving then.
    private sealed record RolloutDue(IActorRef Requester, long RolloutId, IReadOnlyList<string>? Hosts, string? SummaryPrefix);

    private sealed record RolloutStepDue
    {
        public static RolloutStepDue Instance { get; } = new();
    }
}
