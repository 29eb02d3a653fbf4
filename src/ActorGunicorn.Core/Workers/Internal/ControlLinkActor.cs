using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Control;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Workers.Internal;

/// <summary>Reads the control channel (one frame at a time, piped to itself) and writes heartbeats and announcements.</summary>
internal sealed class ControlLinkActor : ReceiveActor, IWithTimers
{
    private readonly ControlChannel _channel;
    private readonly WorkerStatistics _statistics;
    private readonly IActorRef _worker;

    public ControlLinkActor(ControlChannel channel, WorkerStatistics statistics, IActorRef worker)
    {
        _channel = channel;
        _statistics = statistics;
        _worker = worker;

        Receive<Beat>(_ => Send(new WorkerHeartbeat(
            _statistics.RequestsServed,
            _statistics.OpenConnections,
            _statistics.ActiveRequests,
            ProcessMemory.ResidentBytes(Environment.ProcessId) ?? 0,
            (long)_statistics.InFlight.Longest().TotalMilliseconds,
            (long)_statistics.InFlight.TotalTime().TotalMilliseconds)));
        Receive<ControlLink.AnnounceReady>(_ => Send(new WorkerReady(Environment.ProcessId)));
        Receive<ControlLink.RequestRecycle>(r => Send(new RecycleRequested(r.Reason)));
        Receive<Received>(r =>
        {
            switch (r.Message)
            {
                case null:
                    _worker.Tell(Worker.ArbiterLost.Instance);
                    return;
                case StopWorker stop:
                    _worker.Tell(new Worker.StopRequested(stop.Graceful, stop.DrainBacklog, stop.GatedListeners));
                    break;
            }

            ReceiveNext();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Beat
    {
        public static readonly Beat Instance = new();
    }

    // The last frame (or end of stream) can arrive after the worker stopped its actors: not dead-letter noise.
    private sealed record Received(IControlMessage? Message) : IDeadLetterSuppression;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(nameof(Beat), Beat.Instance, ControlLink.HeartbeatInterval);
        ReceiveNext();
    }

    private void ReceiveNext() =>
        _channel.ReceiveAsync().PipeTo(Self, success: m => new Received(m), failure: _ => new Received(null));

    private void Send(IControlMessage message)
    {
        try
        {
            _channel.Send(message);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _worker.Tell(Worker.ArbiterLost.Instance);
        }
    }
}
