using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Logging;

/// <summary>The lines of the two timeouts inside a worker: <c>--request-timeout</c>, and SIGABRT after <c>--timeout</c>.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Request timeout: {Request} ran {Seconds} s, past --request-timeout; {Outcome}.\n{Stack}")]
    public static partial void RequestTimedOut(this ILogger logger, string request, string seconds, string outcome, string stack);

    [LoggerMessage(Level = LogLevel.Error, Message = "The request-timeout watchdog failed")]
    public static partial void RequestWatchdogFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "After its timeout, {Method} {Target} ended with: {Error}")]
    public static partial void FailedAfterTimeout(this ILogger logger, string method, string target, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Worker (pid:{Pid}) aborting on SIGABRT (no heartbeat within --timeout): {Count} request(s) in flight")]
    public static partial void WorkerAborting(this ILogger logger, int pid, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "In flight: {Request} running for {Seconds} s, started on managed thread {ThreadId}")]
    public static partial void RequestInFlight(this ILogger logger, string request, string seconds, int threadId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stacks of the worker's threads (most recent call first):\n{Stacks}")]
    public static partial void AbortStacks(this ILogger logger, string stacks);

    [LoggerMessage(Level = LogLevel.Critical, Message = "No stacks: .NET cannot walk other threads' stacks from inside the process; the requests in flight are listed above")]
    public static partial void AbortWithoutStacks(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "No stacks: the application was still loading")]
    public static partial void AbortWhileLoading(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Logging the abort failed")]
    public static partial void AbortLoggingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Abandoning {Request}, still in the application after {Seconds} s: the worker exits now")]
    public static partial void RequestAbandoned(this ILogger logger, string request, string seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Worker (pid:{Pid}) exiting with code 1 after SIGABRT")]
    public static partial void WorkerAbortExiting(this ILogger logger, int pid);
}
