namespace ActorGunicorn.Gateway;

/// <summary>
/// The server's error log, for server hooks (gunicorn's <c>server.log</c> and <c>worker.log</c>). The
/// <see cref="ServerLogExtensions"/> give it gunicorn's method names: <c>Info</c>, <c>Warning</c>, <c>Error</c>…
/// </summary>
public interface IServerLog
{
    /// <summary>Whether lines at <paramref name="level"/> are written (the server's <c>--log-level</c>).</summary>
    /// <param name="level">The level.</param>
    bool IsEnabled(ServerLogLevel level);

    /// <summary>Writes a line, followed by an exception and its stack trace when one is given.</summary>
    /// <param name="level">The level.</param>
    /// <param name="message">The line.</param>
    /// <param name="exception">An exception to write after it, or null.</param>
    void Write(ServerLogLevel level, string message, Exception? exception = null);
}

/// <summary>The levels of the error log, gunicorn's.</summary>
public enum ServerLogLevel
{
    /// <summary>Details for debugging.</summary>
    Debug,

    /// <summary>Normal events.</summary>
    Info,

    /// <summary>Something unexpected that the server handled.</summary>
    Warning,

    /// <summary>A failure.</summary>
    Error,

    /// <summary>A failure that stops the server or a worker.</summary>
    Critical,
}

/// <summary>gunicorn's logger methods over <see cref="IServerLog"/>.</summary>
public static class ServerLogExtensions
{
    /// <summary>Writes a line at debug level.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    public static void Debug(this IServerLog log, string message) => Write(log, ServerLogLevel.Debug, message);

    /// <summary>Writes a line at info level.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    public static void Info(this IServerLog log, string message) => Write(log, ServerLogLevel.Info, message);

    /// <summary>Writes a line at warning level.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    public static void Warning(this IServerLog log, string message) => Write(log, ServerLogLevel.Warning, message);

    /// <summary>Writes a line at error level.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    public static void Error(this IServerLog log, string message) => Write(log, ServerLogLevel.Error, message);

    /// <summary>Writes a line at critical level.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    public static void Critical(this IServerLog log, string message) => Write(log, ServerLogLevel.Critical, message);

    /// <summary>Writes a line at error level followed by the exception and its stack trace.</summary>
    /// <param name="log">The log.</param>
    /// <param name="message">The line.</param>
    /// <param name="exception">The exception.</param>
    public static void Exception(this IServerLog log, string message, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Write(ServerLogLevel.Error, message, exception);
    }

    private static void Write(IServerLog log, ServerLogLevel level, string message)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Write(level, message);
    }
}
