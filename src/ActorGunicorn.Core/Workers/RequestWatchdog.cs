using Akka.Actor;
using ActorGunicorn.Gateway;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Workers;

/// <summary>
/// <c>--request-timeout</c> (uWSGI's harakiri, per request): a dedicated thread that looks at the requests inside the
/// application a few times a second. For each one past the timeout, once: its stack is logged, the client gets 504
/// (or, if the response had started, its connection is cut), and the worker asks the arbiter for a replacement, so a
/// stuck thread is retired with its worker while the other threads keep serving.
/// </summary>
/// <remarks>
/// Not an actor and not on the thread pool: a WSGI worker's actors run on its Python threads, which are exactly the
/// threads that may be stuck, and a .NET application may have starved the thread pool.
/// </remarks>
internal sealed class RequestWatchdog : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly InFlightRequests _inFlight;
    private readonly IGatewayStackDumps? _stacks;
    private readonly ILogger _log;
    private readonly IActorRef _worker;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _thread;

    private RequestWatchdog(TimeSpan timeout, InFlightRequests inFlight, IGatewayStackDumps? stacks, ILogger log, IActorRef worker)
    {
        _timeout = timeout;
        _inFlight = inFlight;
        _stacks = stacks;
        _log = log;
        _worker = worker;
        _thread = new Thread(Run) { Name = "request-watchdog", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Starts the watchdog; null when <paramref name="timeout"/> is zero (the setting is off).</summary>
    /// <param name="timeout">The <c>--request-timeout</c>.</param>
    /// <param name="inFlight">The worker's running requests.</param>
    /// <param name="stacks">The application's stack dumps (WSGI's Python stacks), or null.</param>
    /// <param name="log">The worker's error log.</param>
    /// <param name="worker">The worker actor, told <see cref="Worker.RecycleNeeded"/>.</param>
    public static RequestWatchdog? Start(TimeSpan timeout, InFlightRequests inFlight, IGatewayStackDumps? stacks, ILogger log, IActorRef worker) =>
        timeout > TimeSpan.Zero ? new RequestWatchdog(timeout, inFlight, stacks, log, worker) : null;

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Set();
        _thread.Join();
        _stopping.Dispose();
    }

    private void Run()
    {
        var interval = RequestTimeouts.CheckInterval(_timeout);
        while (!_stopping.Wait(interval))
        {
            try
            {
                foreach (var request in _inFlight.OlderThan(_timeout))
                {
                    Check(request);
                }
            }
            catch (Exception ex)
            {
                // One bad pass (a stack dump that failed, say) must not end the watchdog.
                _log.RequestWatchdogFailed(ex);
            }
        }
    }

    private void Check(InFlightRequest request)
    {
        var exchange = request.Exchange;
        var claim = exchange.ClaimForTimeout(_timeout);
        if (!RequestTimeouts.Claimed(claim))
        {
            return;
        }

        // The claim holds the request in place (its connection closes after it), so what is read now is its own.
        var elapsed = exchange.Elapsed;
        string described = RequestTimeouts.Describe(exchange.Method, exchange.RawTarget);
        // The stack first, while the thread is still where it was stuck.
        string stack = StackOf(request.ThreadId);
        exchange.AnswerTimedOut(claim);
        _log.RequestTimedOut(described, RequestTimeouts.Seconds(elapsed), RequestTimeouts.Outcome(claim), stack);
        _worker.Tell(new Worker.RecycleNeeded(RequestTimeouts.RecycleReason(described, elapsed)));
    }

    // Never in the way of the answer: the request is claimed, so the client gets its 504 whatever the dump does.
    private string StackOf(int threadId)
    {
        try
        {
            return RequestTimeouts.Stack(_stacks?.DumpStack(threadId), threadId);
        }
        catch (Exception ex)
        {
            return $"(The stack could not be read: {ex.Message})";
        }
    }
}
