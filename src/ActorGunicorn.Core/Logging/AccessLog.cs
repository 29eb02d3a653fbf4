using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace ActorGunicorn.Logging;

/// <summary>
/// The access log: one line per request in the configured gunicorn format, written by the worker that served it.
/// <c>-</c> writes to stdout through Serilog's console sink; a path appends to that file through Serilog's file sink,
/// shared between the worker processes.
/// </summary>
internal sealed class AccessLog : IDisposable
{
    private readonly AccessLogFormat _format;
    private readonly Func<Logger> _open;
    private readonly List<Logger> _replaced = [];
    private volatile Logger _logger;

    private AccessLog(AccessLogFormat format, Func<Logger> open)
    {
        _format = format;
        _open = open;
        _logger = open();
    }

    /// <summary>Creates the access log, or returns null when it is off (gunicorn's default).</summary>
    /// <param name="destination">The <c>--access-logfile</c> value: null (off), <c>-</c> (stdout) or a path.</param>
    /// <param name="format">The <c>--access-logformat</c> value.</param>
    public static AccessLog? Create(string? destination, string format)
    {
        if (string.IsNullOrEmpty(destination))
        {
            return null;
        }

        return new AccessLog(AccessLogFormat.Parse(format), () =>
        {
            var configuration = new LoggerConfiguration().MinimumLevel.Information();
            return destination == "-"
                ? configuration.WriteTo.Console(outputTemplate: "{Message:l}{NewLine}", theme: ConsoleTheme.None, formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger()
                : configuration.WriteTo.File(destination, outputTemplate: "{Message:l}{NewLine}", shared: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger();
        });
    }

    /// <summary>Writes the line for one finished request.</summary>
    public void Write(IAccessLogRecord record) =>
        _logger.Write(LogEventLevel.Information, "{Line:l}", _format.Render(record));

    /// <summary>
    /// Reopens the destination (SIGUSR1, after logrotate moved the file). The previous logger is disposed only with
    /// this object: a request finishing on another thread may still be writing through it.
    /// </summary>
    public void Reopen()
    {
        var previous = _logger;
        _logger = _open();
        lock (_replaced)
        {
            _replaced.Add(previous);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _logger.Dispose();
        lock (_replaced)
        {
            _replaced.ForEach(logger => logger.Dispose());
        }
    }
}
