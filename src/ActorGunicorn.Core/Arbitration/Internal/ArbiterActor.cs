using Akka.Actor;
using ActorGunicorn.Configuration;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Arbitration.Internal;

/// <summary>
/// gunicorn's <c>Arbiter.run</c> loop as an actor. Running: signals are handled as they arrive, and every tick runs
/// <see cref="MurderWorkers"/> then <see cref="ManageWorkers"/>. Stopping: workers are told to stop (gracefully or not);
/// when the last one has exited, or the graceful timeout has passed and the stragglers were killed, the arbiter
/// completes its outcome and stops.
/// </summary>
internal sealed class ArbiterActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly ServerSettings _settings;
    private readonly IWorkerSpawner _spawner;
    private readonly TaskCompletionSource<ArbiterOutcome> _outcome;
    private readonly ILogger _log;
    private readonly ArbiterHooks _hooks;
    private readonly Dictionary<int, WorkerRecord> _workers = [];
    private int _desiredWorkers;
    private int _nextSlot;
    private ArbiterOutcome? _stopOutcome;

    public ArbiterActor(ServerSettings settings, IWorkerSpawner spawner, TaskCompletionSource<ArbiterOutcome> outcome, ILogger log, ArbiterHooks hooks)
    {
        _settings = settings;
        _hooks = hooks;
        _log = log;
        _spawner = spawner;
        _outcome = outcome;
        _desiredWorkers = settings.Workers;
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record StopDeadline
    {
        public static readonly StopDeadline Instance = new();
    }

    private sealed record HaltServer(int ExitCode, string Reason);

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TickInterval);
        ManageWorkers();
    }

    // Restart spawns a fresh process for the slot; Stop lets the slot go. Nothing is logged by Akka: the arbiter
    // logs each exit itself, in gunicorn's words.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(-1, -1, OnWorkerFailure, loggingEnabled: false);

    private void Running()
    {
        Receive<Tick>(_ =>
        {
            MurderWorkers();
            ManageWorkers();
        });
        Receive<Arbiter.SignalReceived>(s => HandleSignal(s.Signal));
        Receive<HaltServer>(h => Stop(graceful: true, new ArbiterOutcome(h.ExitCode, h.Reason)));
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
        Receive<HaltServer>(_ => { });
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
            if (_workers.TryGetValue(e.Id, out var w))
            {
                _workers[e.Id] = w with { Pid = e.Pid, Age = e.Age, LastSeenMs = Environment.TickCount64, Aborted = false, State = WorkerState.Booting };
            }
        });
        Receive<WorkerProcess.Ready>(e => Update(e.Id, w => w with { State = w.State == WorkerState.Leaving ? w.State : WorkerState.Running, LastSeenMs = Environment.TickCount64 }));
        Receive<WorkerProcess.Heartbeat>(e => Update(e.Id, w => w with
        {
            LastSeenMs = Environment.TickCount64,
            Aborted = false,
            RequestsServed = e.RequestsServed,
            OpenConnections = e.OpenConnections,
        }));
        Receive<WorkerProcess.Retiring>(e =>
        {
            if (_workers.TryGetValue(e.Id, out var w))
            {
                _log.WorkerRetiring(w.Pid, e.Reason);
                _workers[e.Id] = w with { State = WorkerState.Leaving };
                if (_stopOutcome is null)
                {
                    ManageWorkers();
                }
            }
        });
        Receive<Terminated>(t =>
        {
            var slot = _workers.FirstOrDefault(kv => kv.Value.Actor.Equals(t.ActorRef));
            if (slot.Value is not null)
            {
                _workers.Remove(slot.Key);
            }

            if (_stopOutcome is not null && _workers.Count == 0)
            {
                Finish(_stopOutcome);
            }
        });
        Receive<Arbiter.GetStatus>(_ => Sender.Tell(new Arbiter.Status(
            _desiredWorkers,
            _workers.Values.OrderBy(w => w.Age)
                .Select(w => new Arbiter.WorkerStatus(w.Pid, w.Age, w.State.ToString(), w.RequestsServed, w.OpenConnections))
                .ToList())));
    }

    private void HandleSignal(ServerSignal signal)
    {
        _log.HandlingSignal(SignalNames[(int)signal]);
        switch (signal)
        {
            case ServerSignal.Term:
                Stop(graceful: true, new ArbiterOutcome(ExitCodes.Success, null));
                break;
            case ServerSignal.Interrupt:
            case ServerSignal.Quit:
                Stop(graceful: false, new ArbiterOutcome(ExitCodes.Success, null));
                break;
            case ServerSignal.Ttin:
                _desiredWorkers++;
                _hooks.NumWorkersChanged(_desiredWorkers, _desiredWorkers - 1);
                ManageWorkers();
                break;
            case ServerSignal.Ttou:
                if (_desiredWorkers > 1)
                {
                    _desiredWorkers--;
                    _hooks.NumWorkersChanged(_desiredWorkers, _desiredWorkers + 1);
                    ManageWorkers();
                }

                break;
            default:
                _log.SignalNotSupported(SignalNames[(int)signal]);
                break;
        }
    }

    /// <summary>gunicorn's <c>murder_workers</c>: SIGABRT a silent worker, SIGKILL it if still silent next time.</summary>
    private void MurderWorkers()
    {
        var now = Environment.TickCount64;
        foreach (var action in ArbiterDecisions.MurderWorkers(_settings.Timeout, now, Views()))
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

    /// <summary>gunicorn's <c>manage_workers</c>: spawn up to the desired count, retire the oldest above it.</summary>
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
            _workers[id] = worker with { State = WorkerState.Leaving };
        }
    }

    private void SpawnWorker()
    {
        int id = ++_nextSlot;
        var actor = Context.ActorOf(WorkerProcess.Props(id, _spawner, _log, _hooks), $"worker-{id}");
        Context.Watch(actor);
        _workers[id] = new WorkerRecord(actor, Pid: 0, Age: 0, Environment.TickCount64, Aborted: false, KilledForTimeout: false, WorkerState.Booting, 0, 0);
    }

    private void Stop(bool graceful, ArbiterOutcome outcome)
    {
        _stopOutcome = outcome;
        Become(Stopping);
        TellAll(new WorkerProcess.Stop(graceful));
        if (_workers.Count == 0)
        {
            Finish(outcome);
            return;
        }

        Timers.StartSingleTimer(nameof(StopDeadline), StopDeadline.Instance, _settings.GracefulTimeout);
    }

    private void TellAll(WorkerProcess.Stop stop)
    {
        foreach (var (id, worker) in _workers.ToList())
        {
            worker.Actor.Tell(stop);
            _workers[id] = worker with { State = WorkerState.Leaving };
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

        var (level, message) = ArbiterDecisions.DescribeExit(exited.Exit, worker.KilledForTimeout);
        _log.WorkerExited(level, message);
        switch (ArbiterDecisions.OnUnexpectedExit(exited.Exit, _stopOutcome is not null))
        {
            case ExitDecision.Respawn:
                _hooks.ChildExit(worker.Pid, worker.Age);
                _workers[exited.Id] = worker with { Pid = 0, State = WorkerState.Booting, LastSeenMs = Environment.TickCount64, Aborted = false, KilledForTimeout = false };
                return Directive.Restart;
            case ExitDecision.Halt halt:
                Self.Tell(new HaltServer(halt.ExitCode, halt.Reason));
                return Directive.Stop;
            default:
                return Directive.Stop;
        }
    }

    // gunicorn's handler names (handle_hup, handle_term, handle_int…), in ServerSignal's order.
    private static readonly string[] SignalNames = ["hup", "term", "int", "quit", "ttin", "ttou", "usr1", "usr2", "winch"];

    private void Update(int id, Func<WorkerRecord, WorkerRecord> change)
    {
        if (_workers.TryGetValue(id, out var worker))
        {
            _workers[id] = change(worker);
        }
    }

    // A slot whose process is still being spawned has no age yet: it is the newest, never the oldest.
    private List<WorkerView> Views() =>
        _workers.Select(kv => new WorkerView(
            kv.Key,
            kv.Value.Pid,
            kv.Value.Age == 0 ? int.MaxValue : kv.Value.Age,
            kv.Value.LastSeenMs,
            kv.Value.Aborted,
            kv.Value.State == WorkerState.Leaving)).ToList();

    private enum WorkerState
    {
        Booting,
        Running,
        Leaving,
    }

    private sealed record WorkerRecord(
        IActorRef Actor,
        int Pid,
        int Age,
        long LastSeenMs,
        bool Aborted,
        bool KilledForTimeout,
        WorkerState State,
        long RequestsServed,
        int OpenConnections);
}
