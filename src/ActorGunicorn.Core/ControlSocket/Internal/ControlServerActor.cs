using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.ControlSocket.Internal;

/// <summary>
/// Accepts on the control socket, one accept outstanding at a time, and starts a <see cref="ControlSessionActor"/>
/// per client. A session that fails is stopped and nothing else changes. When the arbiter stops, so does the server;
/// stopping closes the socket and removes its file.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
internal sealed class ControlServerActor : ReceiveActor, IWithTimers
{
    // Accept fails for a reason that passes (out of descriptors): try again a little later rather than spin.
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly ControlSocketListener _listener;
    private readonly IActorRef _arbiter;
    private readonly ILogger _log;
    private readonly ControlServer.Timeouts _timeouts;
    private readonly CancellationTokenSource _stopping = new();

    public ControlServerActor(ControlSocketListener listener, IActorRef arbiter, ILogger log, ControlServer.Timeouts timeouts)
    {
        _listener = listener;
        _arbiter = arbiter;
        _log = log;
        _timeouts = timeouts;

        Receive<Accepted>(accepted =>
        {
            Context.ActorOf(Akka.Actor.Props.Create(() => new ControlSessionActor(accepted.Client, _arbiter, _log, _timeouts)));
            Accept();
        });
        Receive<AcceptFailed>(failed =>
        {
            _log.ControlAcceptFailed(failed.Cause.Message);
            Timers.StartSingleTimer(nameof(RetryAccept), RetryAccept.Instance, AcceptRetryDelay);
        });
        Receive<RetryAccept>(_ => Accept());
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Suppressed: an accept completing after the server stopped must not be reported as a dead letter.
    private sealed record Accepted(Socket Client) : IDeadLetterSuppression;

    private sealed record AcceptFailed(Exception Cause) : IDeadLetterSuppression;

    private sealed record RetryAccept
    {
        public static readonly RetryAccept Instance = new();
    }

    // Clients are independent: a session that fails is stopped, never restarted.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        Context.Watch(_arbiter);
        Accept();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener.Dispose();
        _stopping.Dispose();
    }

    private void Accept() =>
        _listener.Socket.AcceptAsync(_stopping.Token).AsTask().PipeTo(
            Self,
            success: client => new Accepted(client),
            failure: cause => new AcceptFailed(cause));
}
