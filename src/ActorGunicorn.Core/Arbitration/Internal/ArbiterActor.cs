using Akka.Actor;
using ActorGunicorn.Configuration;
using ActorGunicorn.Control;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Arbitration.Internal;

/// <summary>
/// gunicorn's <c>Arbiter.run</c> loop as an actor. Running: signals are handled as they arrive, and every tick runs
/// <see cref="MurderWorkers"/>, <see cref="RecycleWorkers"/>, <see cref="ScaleWorkers"/> then
/// <see cref="ManageWorkers"/>. Stopping: workers are
/// told to stop (gracefully or not); when the last one has exited, or the graceful timeout has passed and the
/// stragglers were killed, the arbiter completes its outcome and stops.
/// </summary>
/// <remarks>
/// Replacement always comes before retirement. A reload starts a new generation of the configuration; a recycled
/// worker is marked replaceable. Either way <see cref="ArbiterDecisions.ManageWorkers"/> spawns the replacements and
/// retires an old worker only once a new one serves, so capacity never drops below the desired count.
/// With <c>--max-workers</c> the desired count moves between a floor (<c>--workers</c>, which TTIN, TTOU and the
/// control socket move) and that ceiling as the load asks.
/// </remarks>
internal sealed class ArbiterActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly ArbiterServices _services;
    private readonly TaskCompletionSource<ArbiterOutcome> _outcome;
    private readonly ILogger _log;
    private readonly Dictionary<int, WorkerRecord> _workers = [];
    private readonly Random _random = new();
    private readonly long _startedMs = Environment.TickCount64;
    private WorkerGeneration _generation;
    private WorkerGeneration? _beforeReload;

    // Generation numbers are never reused: a worker of an abandoned reload still leaving must not pass for one of the
    // next reload's, and its exit must not halt the server the abandon kept serving.
    private int _lastGenerationNumber;
    private readonly HashSet<int> _abandonedGenerations = [];
    private int _desiredWorkers;
    private int _reportedWorkerCount = -1;
    private int _floorWorkers;
    private ScalingState _scaling;
    private int _nextSlot;
    private ArbiterOutcome? _stopOutcome;
    private long _spawned;
    private long _lost;
    private long _recycled;
    private long _reloads;
    private long _scaleUps;
    private long _scaleDowns;

    public ArbiterActor(WorkerGeneration configuration, ArbiterServices services, TaskCompletionSource<ArbiterOutcome> outcome)
    {
        _generation = configuration;
        _lastGenerationNumber = configuration.Number;
        _services = services;
        _log = services.Log;
        _outcome = outcome;
        _desiredWorkers = configuration.Settings.Workers;
        _floorWorkers = configuration.Settings.Workers;
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ServerSettings Settings => _generation.Settings;

    private BinaryUpgrade? Upgrade => _services.Upgrade;

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record StopDeadline
    {
        public static readonly StopDeadline Instance = new();
    }

    private sealed record HaltServer(int ExitCode, string Reason);

    private sealed record AbandonReload(string Reason);

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TickInterval);
        ManageWorkers();
    }

    // Restart spawns a fresh process for the slot; Stop lets the slot go. Nothing is logged by Akka: the arbiter
    // writes gunicorn's own lines.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(-1, -1, OnWorkerFailure, loggingEnabled: false);

    private void Running()
    {
        Receive<Tick>(_ =>
        {
            Upgrade?.MaybePromote();
            MurderWorkers();
            RecycleWorkers();
            ScaleWorkers();
            ManageWorkers();
            ReportWorkerCount();
        });
        Receive<Arbiter.SignalReceived>(s => HandleSignal(s.Signal));
        Receive<Arbiter.Reload>(_ =>
        {
            Reload();
            Sender.Tell(new Arbiter.CommandAccepted($"reloading: generation {_generation.Number}, {_desiredWorkers} workers"));
        });
        Receive<Arbiter.AddWorkers>(add => Sender.Tell(new Arbiter.CommandAccepted(ChangeWorkerCount(Math.Max(add.Count, 0)))));
        Receive<Arbiter.RemoveWorkers>(remove => Sender.Tell(new Arbiter.CommandAccepted(ChangeWorkerCount(-Math.Max(remove.Count, 0)))));
        Receive<HaltServer>(h => Stop(graceful: true, new ArbiterOutcome(h.ExitCode, h.Reason)));
        Receive<BinaryUpgrade.ChildExited>(e => Upgrade?.OnChildExited(e));
        Receive<AbandonReload>(a => RollBackReload(a.Reason));
        WorkerEvents();
    }

    private void Stopping()
    {
        Receive<Tick>(_ => { });
        Receive<Arbiter.SignalReceived>(s =>
        {
            // A second INT or QUIT during a graceful stop turns it into a quick stop, as in gunicorn 24+.
            if (s.Signal is ServerSignal.Interrupt or ServerSignal.Quit)
            {
                _log.HandlingSignal(SignalNames[(int)s.Signal]);
                TellAll(new WorkerProcess.Stop(Graceful: false));
            }
        });
        Receive<Arbiter.Reload>(_ => Sender.Tell(new Arbiter.CommandAccepted("ignored: the server is stopping")));
        Receive<Arbiter.AddWorkers>(_ => Sender.Tell(new Arbiter.CommandAccepted("ignored: the server is stopping")));
        Receive<Arbiter.RemoveWorkers>(_ => Sender.Tell(new Arbiter.CommandAccepted("ignored: the server is stopping")));
        Receive<HaltServer>(_ => { });
        Receive<BinaryUpgrade.ChildExited>(e => Upgrade?.OnChildExited(e));
        Receive<AbandonReload>(_ => { });
        Receive<StopDeadline>(_ =>
        {
            foreach (var worker in _workers.Values.Where(w => w.Pid != 0))
            {
                _log.WorkerKilledAfterGracefulTimeout(worker.Pid);
                worker.Actor.Tell(new WorkerProcess.SendSignal(Libc.SigKill));
            }
        });
        WorkerEvents();
    }

    private void WorkerEvents()
    {
        Receive<WorkerProcess.Spawned>(e =>
        {
            _spawned++;
            Update(e.Id, w => w with
            {
                Pid = e.Pid,
                Age = e.Age,
                SpawnedMs = Environment.TickCount64,
                LastSeenMs = Environment.TickCount64,
                LifetimeDeadlineMs = ArbiterDecisions.LifetimeDeadline(Settings.MaxWorkerLifetime, Environment.TickCount64, _random),
                Aborted = false,
                KilledForTimeout = false,
                Phase = w.Phase == WorkerPhase.Leaving ? WorkerPhase.Leaving : WorkerPhase.Booting,
                Beat = null,
                Load = null,
                LoadSince = null,
            });
        });
        Receive<WorkerProcess.Ready>(e =>
        {
            // Its load is measured from now: it held no request before it accepted connections.
            Update(e.Id, w => w with
            {
                Phase = w.Phase == WorkerPhase.Leaving ? w.Phase : WorkerPhase.Running,
                LastSeenMs = Environment.TickCount64,
                FailedBoots = 0,
                Load = null,
                LoadSince = new LoadMark(w.Beat?.RequestTimeMs ?? 0, Environment.TickCount64),
            });
            if (_stopOutcome is null)
            {
                ManageWorkers();
                CompleteReloadIfDone();
            }
        });
        Receive<WorkerProcess.Heartbeat>(e => Update(e.Id, w => Measured(w, e.Beat, Environment.TickCount64) with
        {
            LastSeenMs = Environment.TickCount64,
            Aborted = false,
            Beat = e.Beat,
        }));
        Receive<WorkerProcess.RecycleRequested>(e =>
        {
            MarkForRecycling(e.Id, e.Reason);
            if (_stopOutcome is null)
            {
                ManageWorkers();
            }
        });
        Receive<Terminated>(t =>
        {
            var slot = _workers.FirstOrDefault(kv => kv.Value.Actor.Equals(t.ActorRef));
            if (slot.Value is not null)
            {
                _workers.Remove(slot.Key);
            }

            if (_stopOutcome is not null)
            {
                if (_workers.Count == 0)
                {
                    Finish(_stopOutcome);
                }

                return;
            }

            ManageWorkers();
            CompleteReloadIfDone();
        });
        Receive<Arbiter.GetStatus>(_ => Sender.Tell(new Arbiter.Status(
            _desiredWorkers,
            _floorWorkers,
            CeilingWorkers,
            _workers.Values.OrderBy(w => w.Age == 0 ? int.MaxValue : w.Age).Select(DescribeWorker).ToList())));
        Receive<Arbiter.GetStats>(_ => Sender.Tell(new Arbiter.Stats(
            TimeSpan.FromMilliseconds(Environment.TickCount64 - _startedMs),
            _desiredWorkers,
            _spawned,
            _lost,
            _recycled,
            _reloads,
            _workers.Values.Sum(w => w.Beat?.RequestsServed ?? 0),
            _floorWorkers,
            CeilingWorkers,
            _scaleUps,
            _scaleDowns)));
    }

    /// <summary>gunicorn's <c>handle_&lt;signal&gt;</c> methods.</summary>
    private void HandleSignal(ServerSignal signal)
    {
        _log.HandlingSignal(SignalNames[(int)signal]);
        switch (signal)
        {
            case ServerSignal.Hup:
                Reload();
                break;
            case ServerSignal.Term:
                Stop(graceful: true, new ArbiterOutcome(ExitCodes.Success, null));
                break;
            case ServerSignal.Interrupt:
            case ServerSignal.Quit:
                Stop(graceful: false, new ArbiterOutcome(ExitCodes.Success, null));
                break;
            case ServerSignal.Ttin:
                ChangeWorkerCount(+1);
                break;
            case ServerSignal.Ttou:
                ChangeWorkerCount(-1);
                break;
            case ServerSignal.Usr1:
                ReopenLogFiles();
                break;
            case ServerSignal.Usr2:
                Upgrade?.Reexec()?.PipeTo(Self);
                break;
            case ServerSignal.Winch:
                // The arbiter stays, with no workers: the old half of a binary upgrade, or a daemon (gunicorn).
                if (UpgradeDecisions.StopWorkersOnWinch(Settings.Daemon, Upgrade?.ChildPid is > 0))
                {
                    _log.GracefulStopOfWorkers();
                    _desiredWorkers = 0;
                    ManageWorkers();
                }
                else
                {
                    _log.WinchIgnored();
                }

                break;
            default:
                _log.SignalNotSupported(SignalNames[(int)signal]);
                break;
        }
    }

    /// <summary>
    /// gunicorn's <c>reload</c>, replacement first: read the configuration again; on success it becomes a new
    /// generation, and every running worker becomes replaceable, so new workers start and each old one leaves once
    /// a new one serves. An invalid configuration is logged and changes nothing.
    /// </summary>
    private void Reload()
    {
        _reloads++;
        WorkerGeneration next;
        try
        {
            next = _services.ReadConfiguration?.Invoke(_lastGenerationNumber + 1) ?? _generation with { Number = _lastGenerationNumber + 1 };
        }
        catch (SettingsException ex)
        {
            _log.ReloadRefused(ex.Message);
            return;
        }

        if (!next.Settings.Bind.SequenceEqual(Settings.Bind))
        {
            _log.BindChangeNeedsRestart();
        }

        // A reload during a reload replaces the pending one; the fallback stays the configuration that served last.
        _beforeReload ??= _generation;
        _generation = next;
        _lastGenerationNumber = next.Number;
        SetCountsFromSettings();
        TryReopenOwnLogFiles();
        _log.Reloading(next.Number, _desiredWorkers);
        _services.Hooks.OnReload();
        ManageWorkers();
    }

    /// <summary>The reload is done once only the new generation serves: from then on a boot failure is an ordinary one.</summary>
    private void CompleteReloadIfDone()
    {
        if (_beforeReload is not null && _workers.Values.All(w => w.Generation == _generation.Number || w.Phase == WorkerPhase.Leaving)
            && _workers.Values.Count(w => w.Generation == _generation.Number && w.Phase == WorkerPhase.Running) >= _desiredWorkers)
        {
            _beforeReload = null;
            _log.ReloadComplete(_generation.Number);
        }
    }

    /// <summary>
    /// A worker of the new generation failed to boot: the previous configuration comes back, its workers (still
    /// serving) are kept, and the new ones are retired (gunicorn #2443: a bad deploy must not take the site down).
    /// </summary>
    private void RollBackReload(string reason)
    {
        if (_beforeReload is null)
        {
            return;
        }

        _log.ReloadAbandoned(_generation.Number, reason);
        _abandonedGenerations.Add(_generation.Number);
        _generation = _beforeReload;
        _beforeReload = null;
        SetCountsFromSettings();
        ManageWorkers();
    }

    /// <summary>
    /// A reload reads <c>--workers</c> again, as gunicorn's does (undoing TTIN and TTOU), and <c>--max-workers</c>;
    /// workers the load added stay as long as the new bounds allow, since the load that asked for them is still there.
    /// </summary>
    private void SetCountsFromSettings()
    {
        _floorWorkers = Settings.Workers;
        _desiredWorkers = Settings.ScalesWithLoad ? Math.Clamp(_desiredWorkers, _floorWorkers, CeilingWorkers) : _floorWorkers;
        _scaling = ScalingState.Fresh;
    }

    /// <summary>
    /// TTIN, TTOU, <c>ctl add/remove</c> and the cluster's <c>scale</c>: gunicorn's <c>num_workers</c> change, applied
    /// to the floor and to the count now alike, so TTIN always brings a worker at once, even above
    /// <c>--max-workers</c> (a hand beats the ceiling, and the worker leaves again once the load is low), and TTOU
    /// always retires one. Neither goes below one worker, as in gunicorn.
    /// </summary>
    private string ChangeWorkerCount(int delta)
    {
        int before = _desiredWorkers;
        if (before == 0)
        {
            // After WINCH gunicorn counts from zero: TTIN brings one worker, TTOU none.
            _floorWorkers = delta > 0 ? delta : _floorWorkers;
            _desiredWorkers = Math.Max(0, delta);
        }
        else
        {
            _floorWorkers = Math.Max(1, _floorWorkers + delta);
            _desiredWorkers = Math.Max(_floorWorkers, _desiredWorkers + delta);
        }

        _scaling = ScalingState.Fresh;
        _services.Hooks.NumWorkersChanged(_desiredWorkers, before);
        ManageWorkers();
        return Settings.ScalesWithLoad
            ? $"workers: {before} -> {_desiredWorkers} (min {_floorWorkers}, max {CeilingWorkers})"
            : $"workers: {before} -> {_desiredWorkers}";
    }

    /// <summary>The most workers the load may bring: <c>--max-workers</c>, or the floor when that is higher or scaling is off.</summary>
    private int CeilingWorkers => Math.Max(_floorWorkers, Settings.MaxWorkers);

    /// <summary>gunicorn's <c>handle_usr1</c>: reopen the arbiter's log files, and tell every worker to reopen its own.</summary>
    private void ReopenLogFiles()
    {
        TryReopenOwnLogFiles();
        foreach (var worker in _workers.Values)
        {
            worker.Actor.Tell(WorkerProcess.ReopenLogs.Instance);
        }
    }

    private void TryReopenOwnLogFiles()
    {
        if (_services.ReopenLogFiles is null)
        {
            return;
        }

        try
        {
            _services.ReopenLogFiles();
            _log.LogFilesReopened();
        }
        catch (IOException ex)
        {
            _log.LogFilesNotReopened(ex.Message);
        }
    }

    /// <summary>gunicorn's <c>murder_workers</c>: SIGABRT a silent worker, SIGKILL it if still silent next time.</summary>
    private void MurderWorkers()
    {
        var now = Environment.TickCount64;
        foreach (var action in ArbiterDecisions.MurderWorkers(Settings.Timeout, now, Views()))
        {
            var worker = _workers[action.Id];
            if (action.Kill)
            {
                worker.Actor.Tell(new WorkerProcess.SendSignal(Libc.SigKill));
                _workers[action.Id] = worker with { KilledForTimeout = true };
            }
            else
            {
                _log.WorkerTimeout(worker.Pid);
                worker.Actor.Tell(new WorkerProcess.SendSignal(Libc.SigAbrt));
                _workers[action.Id] = worker with { Aborted = true };
            }
        }
    }

    /// <summary>Marks running workers that outgrew <c>--max-worker-memory</c> or outlived <c>--max-worker-lifetime</c>.</summary>
    private void RecycleWorkers()
    {
        if (Settings.MaxWorkerMemory <= 0 && Settings.MaxWorkerLifetime <= TimeSpan.Zero)
        {
            return;
        }

        long now = Environment.TickCount64;
        foreach (var (id, worker) in _workers.ToList())
        {
            if (worker.Phase != WorkerPhase.Running || worker.RecycleReason is not null)
            {
                continue;
            }

            long? resident = Settings.MaxWorkerMemory > 0 ? ProcessMemory.ResidentBytes(worker.Pid) : null;
            if (ArbiterDecisions.RecycleReason(Settings.MaxWorkerMemory, resident, worker.LifetimeDeadlineMs, now) is { } reason)
            {
                MarkForRecycling(id, reason);
            }
        }
    }

    private void MarkForRecycling(int id, string reason)
    {
        if (_workers.TryGetValue(id, out var worker) && worker.RecycleReason is null && worker.Phase != WorkerPhase.Leaving)
        {
            _recycled++;
            _log.WorkerRecycling(worker.Pid, reason);
            _workers[id] = worker with { RecycleReason = reason };
        }
    }

    /// <summary>
    /// Load scaling (<c>--max-workers</c>): moves the desired count one worker up or down as
    /// <see cref="ArbiterDecisions.ScaleWorkers"/> decides; <see cref="ManageWorkers"/>, next in the tick, spawns the
    /// worker or retires the oldest, as for TTIN and TTOU.
    /// </summary>
    // gunicorn's gunicorn.workers gauge: the worker processes alive, sent when the number changes.
    private void ReportWorkerCount()
    {
        if (_services.Statsd is { } statsd && _workers.Count != _reportedWorkerCount)
        {
            _reportedWorkerCount = _workers.Count;
            statsd.Gauge("gunicorn.workers", _reportedWorkerCount);
        }
    }

    private void ScaleWorkers()
    {
        if (!Settings.ScalesWithLoad)
        {
            return;
        }

        long now = Environment.TickCount64;
        var limits = new ScalingLimits(_floorWorkers, CeilingWorkers, Settings.Threads, Settings.ScaleDownAfter, TickInterval);
        var decision = ArbiterDecisions.ScaleWorkers(limits, _desiredWorkers, Views(), _services.QueuedConnections?.Invoke(), _scaling, now);
        _scaling = decision.State;
        if (decision.Workers == _desiredWorkers || decision.Reason is null)
        {
            return;
        }

        int before = _desiredWorkers;
        _desiredWorkers = decision.Workers;
        if (decision.Workers > before)
        {
            _scaleUps++;
            _log.ScalingUp(before, decision.Workers, decision.Reason);
        }
        else
        {
            _scaleDowns++;
            _log.ScalingDown(before, decision.Workers, decision.Reason);
        }

        _services.Hooks.NumWorkersChanged(decision.Workers, before);
    }

    /// <summary>
    /// A heartbeat's measure of load: the requests' time in the worker since the last mark, over the time passed. A
    /// heartbeat that follows the last one closely (it was delayed behind a request) does not move the mark, so that
    /// each measure spans at least half a second.
    /// </summary>
    private static WorkerRecord Measured(WorkerRecord worker, WorkerHeartbeat beat, long nowMs)
    {
        if (worker.LoadSince is not { } since)
        {
            return worker;
        }

        long elapsed = nowMs - since.AtMs;
        if (elapsed < MinimumLoadInterval)
        {
            return worker;
        }

        return worker with
        {
            Load = Math.Max(0, beat.RequestTimeMs - since.RequestTimeMs) / (double)elapsed,
            LoadSince = new LoadMark(beat.RequestTimeMs, nowMs),
        };
    }

    private const long MinimumLoadInterval = 500;

    /// <summary>gunicorn's <c>manage_workers</c>, replacement first: see <see cref="ArbiterDecisions.ManageWorkers"/>.</summary>
    private void ManageWorkers()
    {
        var plan = ArbiterDecisions.ManageWorkers(_desiredWorkers, Views());
        for (int i = 0; i < plan.Spawn; i++)
        {
            SpawnWorker();
        }

        foreach (var id in plan.Retire)
        {
            var worker = _workers[id];
            worker.Actor.Tell(new WorkerProcess.Stop(Graceful: true));
            _workers[id] = worker with { Phase = WorkerPhase.Leaving };
        }
    }

    private void SpawnWorker()
    {
        int id = ++_nextSlot;
        var actor = Context.ActorOf(WorkerProcess.Props(id, _services.Spawner, _generation, _log, _services.Hooks), $"worker-{id}");
        Context.Watch(actor);
        long now = Environment.TickCount64;
        _workers[id] = new WorkerRecord(actor, _generation.Number, Pid: 0, Age: 0, SpawnedMs: now, LastSeenMs: now, LifetimeDeadlineMs: 0,
            Aborted: false, KilledForTimeout: false, WorkerPhase.Booting, RecycleReason: null, FailedBoots: 0, Beat: null, Load: null, LoadSince: null);
    }

    private void Stop(bool graceful, ArbiterOutcome outcome)
    {
        _stopOutcome = outcome;
        Become(Stopping);
        // The whole server stops: nothing new may queue on a listener that dies with it, and each worker first takes
        // what waits in the listen backlog (gunicorn #3397). A quick stop closes the gates too: a connection made
        // while the workers exit is refused rather than accepted and reset.
        var gated = _services.ListenerGates?.CloseForStop() ?? [];
        TellAll(new WorkerProcess.Stop(graceful, DrainBacklog: graceful, gated));
        if (_workers.Count == 0)
        {
            Finish(outcome);
            return;
        }

        Timers.StartSingleTimer(nameof(StopDeadline), StopDeadline.Instance, Settings.GracefulTimeout);
    }

    private void TellAll(WorkerProcess.Stop stop)
    {
        foreach (var (id, worker) in _workers.ToList())
        {
            worker.Actor.Tell(stop);
            _workers[id] = worker with { Phase = WorkerPhase.Leaving };
        }
    }

    private void Finish(ArbiterOutcome outcome)
    {
        _log.ShuttingDown();
        if (outcome.Reason is not null)
        {
            _log.ShutdownReason(outcome.Reason);
        }

        Timers.CancelAll();
        _outcome.TrySetResult(outcome);
        Context.Stop(Self);
    }

    /// <summary>The supervisor strategy's decider: a worker process died without being asked to.</summary>
    private Directive OnWorkerFailure(Exception failure)
    {
        if (failure is not WorkerProcessExitedException exited || !_workers.TryGetValue(exited.Id, out var worker))
        {
            _log.SupervisionFailed(failure);
            return Directive.Stop;
        }

        _lost++;
        var (level, message) = ArbiterDecisions.DescribeExit(exited.Exit, worker.KilledForTimeout);
        _log.WorkerExited(level, message);
        bool bootFailure = exited.Exit.ExitCode is ExitCodes.WorkerBootError or ExitCodes.AppLoadError;
        var decision = ArbiterDecisions.OnUnexpectedExit(
            exited.Exit,
            serverStopping: _stopOutcome is not null,
            fromPendingReload: _beforeReload is not null && worker.Generation == _generation.Number,
            fromAbandonedReload: _abandonedGenerations.Contains(worker.Generation),
            respawnFailedWorkers: Settings.RespawnFailedWorkers,
            failedBoots: worker.FailedBoots + 1);
        if (decision is not ExitDecision.Halt)
        {
            _services.Hooks.ChildExit(worker.Pid, worker.Age);
        }

        switch (decision)
        {
            case ExitDecision.Respawn:
                _workers[exited.Id] = Respawning(worker, bootFailure);
                return Directive.Restart;
            case ExitDecision.RespawnAfter backoff:
                _log.RespawningAfter(backoff.Delay.TotalSeconds);
                exited.RespawnDelay = backoff.Delay;
                _workers[exited.Id] = Respawning(worker, bootFailure);
                return Directive.Restart;
            case ExitDecision.AbandonReload abandon:
                Self.Tell(new AbandonReload(abandon.Reason));
                return Directive.Stop;
            case ExitDecision.Halt halt:
                Self.Tell(new HaltServer(halt.ExitCode, halt.Reason));
                return Directive.Stop;
            default:
                return Directive.Stop;
        }
    }

    private static WorkerRecord Respawning(WorkerRecord worker, bool bootFailure) => worker with
    {
        Pid = 0,
        Phase = WorkerPhase.Booting,
        LastSeenMs = Environment.TickCount64,
        Aborted = false,
        KilledForTimeout = false,
        RecycleReason = null,
        FailedBoots = bootFailure ? worker.FailedBoots + 1 : 0,
        Beat = null,
        Load = null,
        LoadSince = null,
    };

    // gunicorn's handler names (handle_hup, handle_term, handle_int…), in ServerSignal's order.
    private static readonly string[] SignalNames = ["hup", "term", "int", "quit", "ttin", "ttou", "usr1", "usr2", "winch"];

    private void Update(int id, Func<WorkerRecord, WorkerRecord> change)
    {
        if (_workers.TryGetValue(id, out var worker))
        {
            _workers[id] = change(worker);
        }
    }

    // A slot whose process is still being spawned has no age yet: it is the newest, never the oldest. A slot backing
    // off after a failed boot is not silent: its last sign of life is its respawn, so it is never timed out.
    private List<WorkerView> Views() =>
        _workers.Select(kv => new WorkerView(
            kv.Key,
            kv.Value.Pid,
            kv.Value.Age == 0 ? int.MaxValue : kv.Value.Age,
            kv.Value.Pid == 0 ? Environment.TickCount64 : kv.Value.LastSeenMs,
            kv.Value.Aborted,
            kv.Value.Phase,
            Replaceable: kv.Value.RecycleReason is not null || kv.Value.Generation != _generation.Number,
            Load: kv.Value.Load)).ToList();

    private Arbiter.WorkerStatus DescribeWorker(WorkerRecord w) => new(
        w.Pid,
        w.Age,
        w.Phase == WorkerPhase.Running && (w.RecycleReason is not null || w.Generation != _generation.Number) ? "Replacing" : w.Phase.ToString(),
        w.Beat?.RequestsServed ?? 0,
        w.Beat?.OpenConnections ?? 0,
        w.Beat?.RssBytes ?? 0,
        w.Beat?.LongestRequestMs ?? 0,
        w.Pid == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - w.SpawnedMs));

    /// <summary>The arbiter's record of one worker slot.</summary>
    /// <param name="Actor">The slot's <see cref="WorkerProcess"/> actor.</param>
    /// <param name="Generation">The configuration generation the worker runs.</param>
    /// <param name="Pid">The process id; 0 while spawning or backing off.</param>
    /// <param name="Age">gunicorn's age: the spawn counter; 0 until spawned.</param>
    /// <param name="SpawnedMs">Monotonic milliseconds of the spawn.</param>
    /// <param name="LastSeenMs">Monotonic milliseconds of the last heartbeat (or of the spawn).</param>
    /// <param name="LifetimeDeadlineMs">When --max-worker-lifetime recycles it; 0 for never.</param>
    /// <param name="Aborted">SIGABRT was sent for a timeout.</param>
    /// <param name="KilledForTimeout">SIGKILL was sent after the abort.</param>
    /// <param name="Phase">Booting, Running or Leaving.</param>
    /// <param name="RecycleReason">Why it is being replaced, or null.</param>
    /// <param name="FailedBoots">Consecutive boot failures of the slot.</param>
    /// <param name="Beat">The last heartbeat, or null.</param>
    /// <param name="Load">Requests held at once on average since the mark before <paramref name="LoadSince"/>; null until measured.</param>
    /// <param name="LoadSince">Where the next measure of load starts; null until the worker serves.</param>
    private sealed record WorkerRecord(
        IActorRef Actor,
        int Generation,
        int Pid,
        int Age,
        long SpawnedMs,
        long LastSeenMs,
        long LifetimeDeadlineMs,
        bool Aborted,
        bool KilledForTimeout,
        WorkerPhase Phase,
        string? RecycleReason,
        int FailedBoots,
        WorkerHeartbeat? Beat,
        double? Load,
        LoadMark? LoadSince);

    /// <summary>A point a worker's load is measured from: its request time then, and when (monotonic ms).</summary>
    private readonly record struct LoadMark(long RequestTimeMs, long AtMs);
}
