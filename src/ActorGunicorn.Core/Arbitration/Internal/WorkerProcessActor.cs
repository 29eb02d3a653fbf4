using System.Diagnostics;
using Akka.Actor;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;
using ActorGunicorn.Control;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Arbitration.Internal;

/// <summary>
/// One worker process seen from the arbiter. Lifecycle: Booting (spawned, waiting for Ready) → Running →
/// Leaving (asked to stop, or retiring on its own) → stopped when the process exits. An exit while Booting or
/// Running is a failure that the arbiter's supervisor strategy turns into a respawn or a halt.
/// </summary>
internal sealed class WorkerProcessActor : ReceiveActor
{
    private readonly int _id;
    private readonly IWorkerSpawner _spawner;
    private readonly ILogger _log;
    private readonly ArbiterHooks _hooks;
    private SpawnedWorker? _worker;
    private int _pid;

    public WorkerProcessActor(int id, IWorkerSpawner spawner, ILogger log, ArbiterHooks hooks)
    {
        _id = id;
        _hooks = hooks;
        _log = log;
        _spawner = spawner;
        Booting();
    }

    private sealed record ProcessExited(int ExitCode);

    private sealed record ChannelMessage(IControlMessage? Message);

    protected override void PreStart()
    {
        _worker = _spawner.Spawn();
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
        Receive<ChannelMessage>(m => m.Message is WorkerRetiring, m =>
        {
            Context.Parent.Tell(new WorkerProcess.Retiring(_id, ((WorkerRetiring)m.Message!).Reason));
            Become(Leaving);
            ReceiveNextControlMessage();
        });
        CommonCommands();
        Receive<ProcessExited>(exited => throw new WorkerProcessExitedException(_id, new WorkerExit(_pid, exited.ExitCode)));
    }

    private void Leaving()
    {
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
            var beat = (WorkerHeartbeat)m.Message!;
            Context.Parent.Tell(new WorkerProcess.Heartbeat(_id, beat.RequestsServed, beat.OpenConnections, beat.ActiveRequests));
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
            TrySend(new StopWorker(stop.Graceful));
            Become(Leaving);
        });
        Receive<WorkerProcess.SendSignal>(signal => Libc.Kill(_pid, signal.SignalNumber));
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
