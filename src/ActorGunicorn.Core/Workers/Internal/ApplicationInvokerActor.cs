using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// Calls the application for one exchange at a time. A call that completes synchronously (the common case for small
/// responses) is finished inline; an asynchronous one runs as an actor task, which keeps this invoker busy — its
/// mailbox suspended — until the response is complete, so <c>--threads</c> bounds the concurrent calls.
/// An UntypedActor: one message type, on the hot path, needs no handler table.
/// </summary>
internal sealed class ApplicationInvokerActor : UntypedActor
{
    private readonly IGatewayApplication _application;
    private readonly InvokerLoad? _load;
    private StrongBox<int>? _exchanges;

    public ApplicationInvokerActor(IGatewayApplication application, InvokerLoad? load)
    {
        _application = application;
        _load = load;
    }

    // The pool's router counts an exchange in when it routes one here; this counts it out when it is finished.
    protected override void PreStart() => _exchanges = _load?.For(Self);

    protected override void OnReceive(object message)
    {
        if (message is HttpExchange exchange)
        {
            Invoke(exchange);
        }
        else
        {
            Unhandled(message);
        }
    }

    private void Invoke(HttpExchange exchange)
    {
        ValueTask call;
        exchange.EnteringApplication();
        try
        {
            call = _application.InvokeAsync(exchange, exchange);
        }
        catch (Exception ex)
        {
            call = ValueTask.FromException(ex);
        }

        if (call.IsCompletedSuccessfully)
        {
            // Consumes the result: a pooled task source (the WSGI gateway's) is recycled here.
            call.GetAwaiter().GetResult();
            var completion = exchange.CompleteAsync();
            if (completion.IsCompletedSuccessfully)
            {
                Finish(exchange);
                return;
            }

            FinishLater(exchange, completion);
            return;
        }

        RunLater(exchange, call);
    }

    // The lambdas live in their own methods: a closure captured in Invoke would be allocated on every call, even on
    // the synchronous path that never runs it (80 bytes per request, measured by the allocation benchmarks).
    private void FinishLater(HttpExchange exchange, ValueTask completion) =>
        ActorTaskScheduler.RunTask(() => FinishAsync(exchange, completion));

    private void RunLater(HttpExchange exchange, ValueTask call) =>
        ActorTaskScheduler.RunTask(() => RunAsync(exchange, call));

    private void Finish(HttpExchange exchange)
    {
        exchange.Finish();
        if (_exchanges is not null)
        {
            Interlocked.Decrement(ref _exchanges.Value);
        }
    }

    private async Task RunAsync(HttpExchange exchange, ValueTask call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            exchange.Fail(ex);
        }

        await FinishAsync(exchange, exchange.CompleteAsync()).ConfigureAwait(false);
    }

    private async Task FinishAsync(HttpExchange exchange, ValueTask completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            exchange.CompletionFailed(ex);
        }

        Finish(exchange);
    }
}
