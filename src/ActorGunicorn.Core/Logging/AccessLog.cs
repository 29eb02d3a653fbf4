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
    private readonly Logger _logger;

    private AccessLog(AccessLogFormat format, Logger logger)
    {
        _format = format;
        _logger = logger;
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

        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        var logger = destination == "-"
            ? configuration.WriteTo.Console(outputTemplate: "{Message:l}{NewLine}", theme: ConsoleTheme.None, formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger()
            : configuration.WriteTo.File(destination, outputTemplate: "{Message:l}{NewLine}", shared: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger();
        return new AccessLog(AccessLogFormat.Parse(format), logger);
    }

    /// <summary>Writes the line for one finished request.</summary>
    public void Write(IAccessLogRecord record) =>
        _logger.Write(LogEventLevel.Information, "{Line:l}", _format.Render(record));

    /// <inheritdoc />
    public void Dispose() => _logger.Dispose();
}
