using System.Diagnostics;
using Akka.Actor;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;
using ActorGunicorn.Control;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Arbitration.Internal;

/// <summary>
/// One worker process seen from the arbiter. Lifecycle: (BackingOff, after a failed boot) → Booting (spawned,
/// waiting for Ready) → Running → Leaving (asked to stop) → stopped when the process exits. An exit while Booting or
/// Running is a failure that the arbiter's supervisor strategy turns into a respawn (a restart of this actor, after
/// the back-off the decider put on the failure), an abandoned reload, or a halt.
/// </summary>
internal sealed class WorkerProcessActor : ReceiveActor, IWithTimers
{
    private readonly int _id;
    private readonly IWorkerSpawner _spawner;
    private readonly WorkerGeneration _generation;
    private readonly ILogger _log;
    private readonly ArbiterHooks _hooks;
    private SpawnedWorker? _worker;
    private int _pid;

    public WorkerProcessActor(int id, IWorkerSpawner spawner, WorkerGeneration generation, ILogger log, ArbiterHooks hooks)
    {
        _id = id;
        _hooks = hooks;
        _log = log;
        _spawner = spawner;
        _generation = generation;
        Booting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record ProcessExited(int ExitCode);

    private sealed record ChannelMessage(IControlMessage? Message);

    private sealed record BackoffElapsed
    {
        public static readonly BackoffElapsed Instance = new();
    }

    protected override void PreStart() => SpawnProcess();

    protected override void PostRestart(Exception reason)
    {
        if (reason is WorkerProcessExitedException { RespawnDelay: var delay } && delay > TimeSpan.Zero)
        {
            Become(BackingOff);
            Timers.StartSingleTimer(nameof(BackoffElapsed), BackoffElapsed.Instance, delay);
            return;
        }

        SpawnProcess();
    }

    private void BackingOff()
    {
        Receive<BackoffElapsed>(_ =>
        {
            Become(Booting);
            SpawnProcess();
        });
        Receive<WorkerProcess.Stop>(_ => Context.Stop(Self));
        Receive<WorkerProcess.SendSignal>(_ => { });
        Receive<WorkerProcess.ReopenLogs>(_ => { });
    }

    private void SpawnProcess()
    {
        _worker = _spawner.Spawn(_generation);
        _pid = _worker.Process.Id;
        Context.Parent.Tell(new WorkerProcess.Spawned(_id, _pid, _worker.Age));
        var process = _worker.Process;
        process.WaitForExitAsync().PipeTo(Self, success: () => new ProcessExited(process.ExitCode));
        ReceiveNextControlMessage();
    }

    protected override void PostStop()
    {
        _worker?.Channel.Dispose();
        _worker?.Process.Dispose();
    }

    private void Booting()
    {
        Receive<ChannelMessage>(m => m.Message is WorkerReady, _ =>
        {
            Context.Parent.Tell(new WorkerProcess.Ready(_id, _pid));
            Become(Running);
            ReceiveNextControlMessage();
        });
        CommonCommands();
        Receive<ProcessExited>(exited => throw new WorkerProcessExitedException(_id, new WorkerExit(_pid, exited.ExitCode)));
    }

    private void Running()
    {
        Receive<ChannelMessage>(m => m.Message is RecycleRequested, m =>
        {
            Context.Parent.Tell(new WorkerProcess.RecycleRequested(_id, ((RecycleRequested)m.Message!).Reason));
            ReceiveNextControlMessage();
        });
        CommonCommands();
        Receive<ProcessExited>(exited => throw new WorkerProcessExitedException(_id, new WorkerExit(_pid, exited.ExitCode)));
    }

    private void Leaving()
    {
        // A worker told to stop while it booted may still announce itself: nothing to do about it.
        Receive<ChannelMessage>(m => m.Message is WorkerReady, _ => ReceiveNextControlMessage());
        CommonCommands();
        Receive<ProcessExited>(exited =>
        {
            // An exit the arbiter asked for is routine: only an abnormal one is worth more than a debug line.
            var (level, message) = ArbiterDecisions.DescribeExit(new WorkerExit(_pid, exited.ExitCode), killedForTimeout: false);
            _log.WorkerExited(level >= LogLevel.Warning ? LogLevel.Warning : LogLevel.Debug, message);
            _hooks.ChildExit(_pid, _worker!.Age);

            Context.Stop(Self);
        });
    }

    private void CommonCommands()
    {
        Receive<ChannelMessage>(m => m.Message is WorkerHeartbeat, m =>
        {
            Context.Parent.Tell(new WorkerProcess.Heartbeat(_id, (WorkerHeartbeat)m.Message!));
            ReceiveNextControlMessage();
        });
        Receive<ChannelMessage>(m => m.Message is null, _ =>
        {
            // End of stream: the process is exiting; its exit arrives separately with the exit code.
        });
        Receive<ChannelMessage>(m =>
        {
            _log.UnexpectedControlMessage(_pid, m.Message!.GetType().Name);
            ReceiveNextControlMessage();
        });
        Receive<WorkerProcess.Stop>(stop =>
        {
            TrySend(new StopWorker(stop.Graceful, stop.DrainBacklog) { GatedListeners = stop.GatedListeners ?? [] });
            Become(Leaving);
        });
        Receive<WorkerProcess.SendSignal>(signal => Libc.Kill(_pid, signal.SignalNumber));
        Receive<WorkerProcess.ReopenLogs>(_ => Libc.Kill(_pid, Libc.SigUsr1));
    }

    private void TrySend(IControlMessage message)
    {
        try
        {
            _worker!.Channel.Send(message);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The worker is already gone: its exit is on its way.
        }
    }

    private void ReceiveNextControlMessage() =>
        _worker!.Channel.ReceiveAsync().PipeTo(
            Self,
            success: message => new ChannelMessage(message),
            failure: _ => new ChannelMessage(null));
}
