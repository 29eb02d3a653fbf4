using Akka.Actor;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// One request served by an actor handler: sends the <see cref="ActorHandler.Request"/>, writes the replies to the
/// response, reads the body on demand, and answers 504 (or cuts a started response) when the handler is silent
/// past its timeout, 503 when it dies first.
/// </summary>
internal static class HandlerExchange
{
    /// <summary>Props for the exchange of <paramref name="begin"/>.</summary>
    public static Props Props(HandlerGateway.Begin begin, IActorRef handler, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new HandlerExchangeActor(begin, handler, timeout));
}

/// <summary>
/// The exchange's actor. AwaitingReply → (a whole response) Writing → done, or (a head) Streaming ⇄ Writing → done.
/// Every write is asynchronous and piped back, so the actor never blocks on a slow client; the handler learns the
/// client took a chunk from <see cref="ActorHandler.ChunkWritten"/>.
/// </summary>
internal sealed class HandlerExchangeActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly HandlerGateway.Begin _begin;
    private readonly IActorRef _handler;
    private readonly TimeSpan _timeout;

    public HandlerExchangeActor(HandlerGateway.Begin begin, IActorRef handler, TimeSpan timeout)
    {
        _begin = begin;
        _handler = handler;
        _timeout = timeout;
        AwaitingReply();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private sealed record HandlerSilent
    {
        public static readonly HandlerSilent Instance = new();
    }

    private sealed record Written(bool Final);

    private sealed record WriteFailed(Exception Cause);

    private sealed record BodyRead(byte[] Data, int Count, IActorRef ReplyTo);

    protected override void PreStart()
    {
        Context.Watch(_handler);
        var request = _begin.Request;
        _handler.Tell(
            new ActorHandler.Request(
                request.Method,
                request.RawTarget,
                request.Path,
                request.QueryString,
                [.. request.Headers],
                request.ContentLength,
                Self),
            Self);
        RestartSilenceTimer();
    }

    protected override void PostStop() =>
        // Stopped before the response was done (the server stopping, a failure): the connection is cut.
        _begin.Answered.TrySetException(new IOException("the request's handler exchange stopped before the response was complete"));

    private void AwaitingReply()
    {
        Receive<ActorHandler.Response>(response =>
        {
            var gateway = _begin.Response;
            gateway.StatusCode = response.StatusCode;
            AddHeaders(response.Headers);
            gateway.ContentLength = response.Body.Length;
            Write(response.Body, final: true);
        });
        Receive<ActorHandler.ResponseHead>(head =>
        {
            _begin.Response.StatusCode = head.StatusCode;
            AddHeaders(head.Headers);
            _begin.Response.ContentLength = head.ContentLength;
            RestartSilenceTimer();
            Become(Streaming);
        });
        Receive<HandlerSilent>(_ => Answer(504, "Gateway Timeout: the request handler did not reply in time\n"));
        Receive<Terminated>(_ => Answer(503, "Service Unavailable: the request handler has stopped\n"));
        ReceiveBodyReads();
    }

    private void Streaming()
    {
        Receive<ActorHandler.ResponseChunk>(chunk => Write(chunk.Data, final: false));
        Receive<ActorHandler.ResponseEnd>(_ => Done());
        Receive<HandlerSilent>(_ => Cut(new TimeoutException("the request handler stopped sending its response")));
        Receive<Terminated>(_ => Cut(new IOException("the request handler stopped while sending its response")));
        ReceiveBodyReads();
    }

    private void Writing()
    {
        Receive<Written>(written =>
        {
            if (written.Final)
            {
                Done();
                return;
            }

            _handler.Tell(ActorHandler.ChunkWritten.Instance, Self);
            RestartSilenceTimer();
            Become(Streaming);
            Stash.UnstashAll();
        });
        Receive<WriteFailed>(failed => Cut(failed.Cause));
        Receive<HandlerSilent>(_ => { });
        ReceiveAny(_ => Stash.Stash());
    }

    private void ReceiveBodyReads()
    {
        Receive<ActorHandler.ReadBody>(_ =>
        {
            var buffer = new byte[16 * 1024];
            var replyTo = Sender;
            _begin.Request.Body.ReadAsync(buffer).AsTask().PipeTo(
                Self,
                success: count => new BodyRead(buffer, count, replyTo),
                failure: ex => new WriteFailed(ex));
        });
        Receive<BodyRead>(read => read.ReplyTo.Tell(
            new ActorHandler.BodyChunk(read.Data.AsMemory(0, read.Count), IsLast: read.Count == 0), Self));
        Receive<WriteFailed>(failed => Cut(failed.Cause));
    }

    private void AddHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            _begin.Response.AddHeader(name, value);
        }
    }

    private void Write(ReadOnlyMemory<byte> data, bool final)
    {
        Timers.Cancel(nameof(HandlerSilent));
        Become(Writing);
        _begin.Response.WriteAsync(data).AsTask().PipeTo(
            Self,
            success: () => new Written(final),
            failure: ex => new WriteFailed(ex));
    }

    private void RestartSilenceTimer() =>
        Timers.StartSingleTimer(nameof(HandlerSilent), HandlerSilent.Instance, _timeout);

    private void Answer(int status, string text)
    {
        Timers.CancelAll();
        Become(Answering);
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        _begin.Response.StatusCode = status;
        _begin.Response.SetHeader("Content-Type", "text/plain; charset=utf-8");
        _begin.Response.ContentLength = body.Length;
        _begin.Response.WriteAsync(body).AsTask().PipeTo(
            Self,
            success: () => new Written(Final: true),
            failure: ex => new WriteFailed(ex));
    }

    // After a 503/504: the handler's late replies are dropped, only the write's outcome matters.
    private void Answering()
    {
        Receive<Written>(_ => Done());
        Receive<WriteFailed>(failed => Cut(failed.Cause));
        ReceiveAny(_ => { });
    }

    private void Done()
    {
        _begin.Answered.TrySetResult();
        Context.Stop(Self);
    }

    private void Cut(Exception cause)
    {
        _begin.Answered.TrySetException(cause);
        Context.Stop(Self);
    }
}
