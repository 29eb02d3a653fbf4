using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Logging;

/// <summary>
/// Every line the server itself writes to the error log, in gunicorn's words where gunicorn has them. Written
/// synchronously through Serilog (not through Akka's asynchronous event stream), so the last lines before a process
/// exits — "Shutting down: Master", a worker's boot error — are never lost.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Handling signal: {Signal}")]
    public static partial void HandlingSignal(this ILogger logger, string signal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal {Signal} is not supported yet: ignored")]
    public static partial void SignalNotSupported(this ILogger logger, string signal);

    [LoggerMessage(Level = LogLevel.Critical, Message = "WORKER TIMEOUT (pid:{Pid})")]
    public static partial void WorkerTimeout(this ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker (pid:{Pid}) did not stop within the graceful timeout: SIGKILL")]
    public static partial void WorkerKilledAfterGracefulTimeout(this ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replacing worker (pid:{Pid}): {Reason}")]
    public static partial void WorkerRecycling(this ILogger logger, int pid, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scaling up: {Before} -> {After} workers ({Reason})")]
    public static partial void ScalingUp(this ILogger logger, int before, int after, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scaling down: {Before} -> {After} workers ({Reason})")]
    public static partial void ScalingDown(this ILogger logger, int before, int after, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloading: configuration generation {Generation}, {Workers} workers; new workers start first")]
    public static partial void Reloading(this ILogger logger, int generation, int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reload complete: generation {Generation} serves")]
    public static partial void ReloadComplete(this ILogger logger, int generation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reload failed: {Error} The running workers keep serving.")]
    public static partial void ReloadRefused(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reload to generation {Generation} abandoned: {Reason} The previous workers keep serving.")]
    public static partial void ReloadAbandoned(this ILogger logger, int generation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bind addresses changed: they take effect at a restart or a USR2 upgrade, not on reload")]
    public static partial void BindChangeNeedsRestart(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log files reopened")]
    public static partial void LogFilesReopened(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reopen the log files: {Error}")]
    public static partial void LogFilesNotReopened(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Respawning the worker in {Seconds} s (--respawn-failed-workers)")]
    public static partial void RespawningAfter(this ILogger logger, double seconds);

    [LoggerMessage(Message = "{Description}")]
    public static partial void WorkerExited(this ILogger logger, LogLevel level, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker (pid:{Pid}) sent an unexpected control message {Message}")]
    public static partial void UnexpectedControlMessage(this ILogger logger, int pid, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker supervision failed")]
    public static partial void SupervisionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: Master")]
    public static partial void ShuttingDown(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reason: {Reason}")]
    public static partial void ShutdownReason(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asking for a replacement ({Reason}); serving until it is ready.")]
    public static partial void RecycleRequested(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Parent changed, shutting down: worker (pid:{Pid})")]
    public static partial void ParentChanged(this ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graceful timeout: {Connections} connections still open, exiting")]
    public static partial void DrainTimedOut(this ILogger logger, int connections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "accept() failed on {Listener}: {Error}")]
    public static partial void AcceptFailed(this ILogger logger, string listener, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalid request from ip={Ip}: {Rejection}")]
    public static partial void InvalidRequest(this ILogger logger, string ip, string rejection);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error handling request {Target}")]
    public static partial void ErrorHandlingRequest(this ILogger logger, string target, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error handling request {Target}: invalid response ({Error}: {Detail})")]
    public static partial void InvalidResponse(this ILogger logger, string target, string error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Response to {Method} {Target} ended {Missing} bytes short of its Content-Length")]
    public static partial void ResponseTooShort(this ILogger logger, string method, string target, long missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS handshake with ip={Address} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(this ILogger logger, string address, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed a connection from ip={Address}: it already holds {Limit} connections")]
    public static partial void PeerLimitReached(this ILogger logger, string address, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TLS handshake with ip={Address} ended by the client: {Reason}")]
    public static partial void TlsClientLeft(this ILogger logger, string address, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection lost while handling {Method} {Target}: {Error}")]
    public static partial void ConnectionLost(this ILogger logger, string method, string target, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored premature client disconnection: the client closed the connection in the body of {Method} {Target}")]
    public static partial void ClientLeftInBody(this ILogger logger, string method, string target);
}
