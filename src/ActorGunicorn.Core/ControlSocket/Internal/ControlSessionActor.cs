using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Net.Sockets;

namespace ActorGunicorn.ControlSocket.Internal;

/// <summary>
/// One control client. Reading: wait for a request frame (at most the idle timeout). Asking: the request's command
/// went to the arbiter, whose answer comes back to this actor (at most the arbiter timeout). Writing: the reply goes
/// out, then Reading again. A request that cannot be understood gets an error reply and the session goes on; a frame
/// too large to follow gets an error reply and the connection closes. Nothing a client sends can stop the server.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
internal sealed class ControlSessionActor : ReceiveActor, IWithTimers
{
    private readonly ControlConnection _connection;
    private readonly IActorRef _arbiter;
    private readonly ILogger _log;
    private readonly ControlServer.Timeouts _timeouts;
    private readonly CancellationTokenSource _closing = new();
    private CancellationTokenSource? _deadline;
    private long _requestId;
    private ControlCommand? _command;

    public ControlSessionActor(Socket client, IActorRef arbiter, ILogger log, ControlServer.Timeouts timeouts)
    {
        _connection = new ControlConnection(client);
        _arbiter = arbiter;
        _log = log;
        _timeouts = timeouts;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record FrameArrived(ControlFrameRead Read) : IDeadLetterSuppression;

    private sealed record Written(bool Close) : IDeadLetterSuppression;

    private sealed record IoFailed(Exception Cause) : IDeadLetterSuppression;

    private sealed record ArbiterSilent
    {
        public static readonly ArbiterSilent Instance = new();
    }

    protected override void PreStart() => ReadNext();

    protected override void PostStop()
    {
        _closing.Cancel();
        _connection.Dispose();
        _deadline?.Dispose();
        _closing.Dispose();
    }

    private void Reading()
    {
        Receive<FrameArrived>(arrived => OnFrame(arrived.Read));
        Receive<IoFailed>(_ => Context.Stop(Self));
    }

    private void Asking()
    {
        int pid = Environment.ProcessId;
        Receive<Arbiter.Status>(status => Answer(ControlReply.Ok(_requestId, ControlStatusData.From(status, pid), ControlJsonContext.Default.ControlStatusData)));
        Receive<Arbiter.Stats>(stats => Answer(ControlReply.Ok(_requestId, ControlStatsData.From(stats, pid), ControlJsonContext.Default.ControlStatsData)));
        Receive<Arbiter.CommandAccepted>(accepted => Answer(ControlReply.Ok(_requestId, new ControlCommandData(accepted.Summary), ControlJsonContext.Default.ControlCommandData)));
        Receive<ArbiterSilent>(_ =>
        {
            _log.ControlArbiterSilent(_command!, _timeouts.Arbiter.TotalSeconds);
            Write(ControlReply.Failed(_requestId, $"the arbiter did not answer within {_timeouts.Arbiter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"), close: false);
        });
    }

    private void Writing()
    {
        Receive<Written>(written =>
        {
            if (written.Close)
            {
                Context.Stop(Self);
            }
            else
            {
                ReadNext();
            }
        });
        Receive<IoFailed>(_ => Context.Stop(Self));
    }

    private void ReadNext()
    {
        Become(Reading);
        _connection.ReadFrameAsync(ControlFrame.MaxRequestBytes, Deadline()).PipeTo(
            Self,
            success: read => new FrameArrived(read),
            failure: cause => new IoFailed(cause));
    }

    private void OnFrame(ControlFrameRead read)
    {
        switch (read)
        {
            case ControlFrameRead.Frame frame:
                var request = ControlRequest.Parse(frame.Payload);
                if (request.Command is { } command)
                {
                    Ask(request.Id, command);
                }
                else
                {
                    Write(ControlReply.Failed(request.Id, request.Error!), close: false);
                }

                break;
            case ControlFrameRead.TooLarge tooLarge:
                // The rest of the frame is never read, so the stream cannot be followed: answer, then close.
                Write(ControlReply.Failed(0, $"request too large: {tooLarge.DeclaredLength} bytes announced, at most {ControlFrame.MaxRequestBytes} accepted"), close: true);
                break;
            default:
                Context.Stop(Self);
                break;
        }
    }

    private void Ask(long id, ControlCommand command)
    {
        (_requestId, _command) = (id, command);
        // What changes the server is logged, as a signal's handling is; questions are not.
        if (command.Verb is ControlVerb.Reload or ControlVerb.Add or ControlVerb.Remove)
        {
            _log.ControlCommand(command);
        }

        object question = command.Verb switch
        {
            ControlVerb.Status => Arbiter.GetStatus.Instance,
            ControlVerb.Stats => Arbiter.GetStats.Instance,
            ControlVerb.Reload => Arbiter.Reload.Instance,
            ControlVerb.Add => new Arbiter.AddWorkers(command.Count),
            _ => new Arbiter.RemoveWorkers(command.Count),
        };
        Become(Asking);
        Timers.StartSingleTimer(nameof(ArbiterSilent), ArbiterSilent.Instance, _timeouts.Arbiter);
        _arbiter.Tell(question);
    }

    private void Answer(byte[] reply)
    {
        Timers.Cancel(nameof(ArbiterSilent));
        Write(reply, close: false);
    }

    private void Write(byte[] reply, bool close)
    {
        Become(Writing);
        _connection.WriteFrameAsync(reply, Deadline()).PipeTo(
            Self,
            success: () => new Written(close),
            failure: cause => new IoFailed(cause));
    }

    // One timeout per read or write (they take turns, so the previous one has finished), tied to the session's life
    // so that stopping cancels it.
    private CancellationToken Deadline()
    {
        _deadline?.Dispose();
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        _deadline.CancelAfter(_timeouts.Idle);
        return _deadline.Token;
    }
}
