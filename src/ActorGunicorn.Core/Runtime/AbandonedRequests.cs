using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Runtime;

/// <summary>
/// A worker that has finished serving (its drain ran out of graceful time, a quick stop, the arbiter gone) while
/// requests are still inside the application exits at once: those requests are abandoned, as gunicorn's arbiter
/// would SIGKILL the worker. An orderly shutdown would gain nothing and wait for the stuck threads: the actor system
/// for the actors running on them (10 s per phase), Python's finalisation for ever.
/// </summary>
internal static class AbandonedRequests
{
    /// <summary>Logs the requests still running and ends the process with <paramref name="exitCode"/>; returns if there are none.</summary>
    public static void ExitIfAny(InFlightRequests inFlight, ILogger log, int exitCode)
    {
        var requests = inFlight.OlderThan(TimeSpan.Zero);
        if (requests.Count == 0)
        {
            return;
        }

        foreach (var request in requests)
        {
            var exchange = request.Exchange;
            string described = RequestTimeouts.Describe(exchange.Method, exchange.RawTarget);
            string seconds = RequestTimeouts.Seconds(exchange.Elapsed);
            log.RequestAbandoned(described, seconds);
        }

        Console.Out.Flush();
        Console.Error.Flush();
        Libc.ExitImmediately(exitCode);
    }
}
