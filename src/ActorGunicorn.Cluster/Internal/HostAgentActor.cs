using Akka.Actor;
using Akka.Configuration;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// The host agent. Behaviours: <see cref="Serving"/> (reporting, answering commands), <see cref="StartingReload"/>
/// (waiting for the arbiter to take the reload) and <see cref="Reloading"/> (watching each status for the new
/// generation); the last two refuse a second reload. Every arbiter call is an Ask piped back to itself.
/// </summary>
internal sealed class HostAgentActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ArbiterTimeout = TimeSpan.FromSeconds(5);

    private readonly IActorRef _arbiter;
    private readonly IActorRef _coordinator;
    private readonly ConfigurationOverlay _overlay;
    private readonly Config _baseConfig;
    private readonly Serilog.ILogger _log;
    private readonly string _address;
    private readonly IReadOnlyList<string> _roles;
    private readonly TimeSpan _reloadTimeout;

    // The reload under way (its id, and who waits for its answer: a coordinator that took over asks again with the
    // same id and becomes the one answered), and the last one done, which a repeated ask is answered from at once.
    private long _reloadId;
    private IActorRef _reloadRequester = ActorRefs.Nobody;
    private long _lastReloadedId;

    // The overlay version the arbiter's workers were started with: the overlay's, once a reload that applied it is done.
    private long _servingVersion;

    // The newest record of a rolling reload the coordinator handed this agent, reported back with every status.
    private FleetCoordinator.RolloutRecord? _rollout;

    public HostAgentActor(IActorRef arbiter, IActorRef coordinator, ConfigurationOverlay overlay, Config baseConfig, TimeSpan reloadTimeout, Serilog.ILogger log)
    {
        _log = log;
        _reloadTimeout = reloadTimeout;
        _arbiter = arbiter;
        _coordinator = coordinator;
        _overlay = overlay;
        _servingVersion = overlay.Version;
        _baseConfig = baseConfig;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        _address = cluster.SelfAddress.ToString();
        _roles = [.. cluster.SelfRoles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Serving();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Report), Report.Instance, TimeSpan.Zero, ReportInterval);

    private void Serving()
    {
        Common();
        Receive<StatusRead>(read => _coordinator.Tell(ToReport(read.Status)));
        Receive<HostAgent.ReloadHost>(reload =>
        {
            if (reload.RequestId == _lastReloadedId)
            {
                Sender.Tell(new HostAgent.HostReloaded(reload.RequestId, _address));
                return;
            }

            (_reloadId, _reloadRequester) = (reload.RequestId, Sender);
            // Both asks are sent before either answer: the arbiter's mailbox keeps their order, so the status is the
            // one just before the reload and every worker younger than it is of the new generation.
            var before = _arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, ArbiterTimeout);
            var overlayVersion = _overlay.Version;
            var accepted = _arbiter.Ask<Arbiter.CommandAccepted>(Arbiter.Reload.Instance, ArbiterTimeout);
            Task.WhenAll(before, accepted).ContinueWith(
                done => done.IsCompletedSuccessfully
                    ? new ReloadStarted(reload.RequestId, FleetDecisions.YoungestAge(before.Result), overlayVersion)
                    : (object)new ReloadRefused(done.Exception?.GetBaseException().Message ?? "the arbiter did not answer"),
                TaskScheduler.Default).PipeTo(Self);
            // From here on a second reload is refused: the arbiter may already run this one before it answers.
            Become(StartingReload);
        });
    }

    private void StartingReload()
    {
        Common();
        Receive<StatusRead>(read => _coordinator.Tell(ToReport(read.Status)));
        Receive<ReloadStarted>(started =>
        {
            _log.Information("Fleet reload {RolloutId}: reloading this host", started.RequestId);
            // The coordinator gives up on a host after this long; so does the agent, or it would refuse every
            // later reload (a generation that cannot boot leaves the old workers serving, and never completes).
            Timers.StartSingleTimer(nameof(ReloadOverdue), ReloadOverdue.Instance, _reloadTimeout);
            Become(() => Reloading(started));
        });
        Receive<ReloadRefused>(refused =>
        {
            _reloadRequester.Tell(new FleetCoordinator.CommandFailed($"{FleetText.HostOf(_address)}: {refused.Reason}"));
            _reloadId = 0;
            Become(Serving);
        });
        RefuseSecondReload();
    }

    private void Reloading(ReloadStarted reload)
    {
        Common();
        Receive<StatusRead>(read =>
        {
            _coordinator.Tell(ToReport(read.Status));
            if (FleetDecisions.NewWorkersServe(reload.YoungestAgeBefore, read.Status))
            {
                _log.Information("Fleet reload {RolloutId}: the new workers serve", reload.RequestId);
                _reloadRequester.Tell(new HostAgent.HostReloaded(reload.RequestId, _address));
                _servingVersion = reload.OverlayVersion;
                (_lastReloadedId, _reloadId) = (reload.RequestId, 0);
                Timers.Cancel(nameof(ReloadOverdue));
                Become(Serving);
            }
        });
        Receive<ReloadOverdue>(_ =>
        {
            _log.Warning("Fleet reload {RolloutId}: the new workers did not all serve within {Timeout}; this host takes reloads again", reload.RequestId, _reloadTimeout);
            _reloadId = 0;
            Become(Serving);
        });
        RefuseSecondReload();
    }

    private void RefuseSecondReload() =>
        Receive<HostAgent.ReloadHost>(reload =>
        {
            if (reload.RequestId == _reloadId)
            {
                _reloadRequester = Sender;
                return;
            }

            Sender.Tell(new FleetCoordinator.CommandFailed($"{FleetText.HostOf(_address)} is already reloading"));
        });

    // Handlers every behaviour shares.
    private void Common()
    {
        Receive<Report>(_ => _arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, ArbiterTimeout).PipeTo(Self, success: status => new StatusRead(status), failure: _ => ArbiterSilent.Instance));
        Receive<FleetCoordinator.RolloutRecord>(record =>
        {
            if (_rollout is null || record.RolloutId != _rollout.RolloutId || record.Step > _rollout.Step)
            {
                _rollout = record;
            }
        });
        Receive<ArbiterSilent>(_ => _log.Warning("Fleet: the arbiter did not answer a status request within {Timeout}", ArbiterTimeout));
        Receive<HostAgent.ScaleHost>(scale =>
        {
            var requester = Sender;
            ScaleAsync(scale.Workers).PipeTo(requester, failure: error => new FleetCoordinator.CommandFailed($"{FleetText.HostOf(_address)}: {error.GetBaseException().Message}"));
        });
        Receive<HostAgent.ApplyConfig>(apply =>
        {
            try
            {
                _overlay.Apply(apply.Version, apply.Hocon, _baseConfig);
                _log.Information("Fleet: configuration version {Version} applied; the next reload uses it", apply.Version);
                Sender.Tell(new FleetCoordinator.CommandSucceeded($"{FleetText.HostOf(_address)}: config version {apply.Version}"));
            }
            catch (SettingsException error)
            {
                Sender.Tell(new FleetCoordinator.CommandFailed($"{FleetText.HostOf(_address)}: {error.Message}"));
            }
        });
    }

    // The host's worker count is its floor (--workers): with --max-workers the arbiter adds workers above it as the
    // load asks, and the difference moves those along with the floor, as TTIN and TTOU do. The agent runs in the
    // arbiter's process, so the pid it reports is the arbiter's.
    private async Task<object> ScaleAsync(int workers)
    {
        var status = await _arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, ArbiterTimeout).ConfigureAwait(false);
        var floor = status.MinWorkers;
        object? command = workers > floor ? new Arbiter.AddWorkers(workers - floor)
            : workers < floor ? new Arbiter.RemoveWorkers(floor - workers)
            : null;
        if (command is not null)
        {
            await _arbiter.Ask<Arbiter.CommandAccepted>(command, ArbiterTimeout).ConfigureAwait(false);
        }

        // A reload reads --workers again, as gunicorn's HUP does; the fleet's count must outlive it.
        _overlay.PinWorkers(workers);

        return new FleetCoordinator.CommandSucceeded($"{FleetText.HostOf(_address)}: workers {floor} -> {workers}");
    }

    private FleetCoordinator.HostReport ToReport(Arbiter.Status status) => new(
        _address,
        _roles,
        Environment.ProcessId,
        _overlay.Version,
        _servingVersion,
        _overlay.Text,
        status.DesiredWorkers,
        [.. status.Workers.Where(w => w.Pid != 0).Select(w => new FleetCoordinator.WorkerEntry(w.Pid, w.Age, w.State, w.Uptime, w.RequestsServed, w.RssBytes))],
        _rollout);

    private sealed record Report
    {
        public static Report Instance { get; } = new();
    }

    private sealed record ReloadOverdue
    {
        public static ReloadOverdue Instance { get; } = new();
    }

    private sealed record ArbiterSilent
    {
        public static ArbiterSilent Instance { get; } = new();
    }

    private sealed record StatusRead(Arbiter.Status Status);

    private sealed record ReloadStarted(long RequestId, int YoungestAgeBefore, long OverlayVersion);

    private sealed record ReloadRefused(string Reason);
}
