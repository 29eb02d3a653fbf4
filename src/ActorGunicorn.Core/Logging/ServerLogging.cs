using System.Globalization;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace ActorGunicorn.Logging;

/// <summary>
/// Builds the error log: Serilog's console sink on stderr, in gunicorn's line format
/// <c>[2026-11-24 10:00:00 +0000] [1234] [INFO] message</c>. <c>--log-file FILE</c> points this process's stderr
/// (and so every worker's, which inherit it) at the file, so one sink serves both cases and stray stderr output from
/// application code lands in the same log.
/// </summary>
internal static class ServerLogging
{
    private const string Template = "[{GunicornTime}] [{ProcessId}] [{GunicornLevel}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The actor system name of <c>actorgunicorn ctl --cluster</c>, a client that leaves after each command.</summary>
    public const string CtlClientSystem = "actorgunicorn-ctl";

    /// <summary>
    /// The error logger of a server process (arbiter or worker) at the configured level, and with
    /// <c>--statsd-host</c> the StatsD client that counts its lines and takes the process's metrics. The caller
    /// disposes both; a StatsD that cannot be reached is a warning in the log, and the process runs without metrics.
    /// </summary>
    public static Logger CreateErrorLogger(ServerSettings settings, out Metrics.StatsdClient? statsd)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? problem = null;
        statsd = Metrics.StatsdClient.Create(settings, unreachable => problem = unreachable);
        var logger = CreateErrorLogger(settings.LogLevel, statsd);
        if (problem is not null)
        {
            logger.Warning("{Problem}", problem);
        }

        return logger;
    }

    /// <summary>Creates the error logger at the configured level; with <paramref name="statsd"/>, its lines are counted by level too.</summary>
    public static Logger CreateErrorLogger(LogLevel level, Metrics.StatsdClient? statsd = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilogLevel(level))
            // Akka.Hosting's own lines (categories "Akka.*") follow the same rule as Akka's events (ToAkkaLevel).
            .MinimumLevel.Override("Akka", level <= LogLevel.Debug ? ToSerilogLevel(level) : LogEventLevel.Warning)
            .Filter.ByExcluding(IsCtlClientDeparture)
            .Enrich.With(new GunicornLineEnricher())
            .WriteTo.Console(
                outputTemplate: Template,
                formatProvider: CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose,
                theme: ConsoleTheme.None);
        return (statsd is null ? configuration : configuration.WriteTo.Sink(new Metrics.StatsdLogSink(statsd))).CreateLogger();
    }

    /// <summary>
    /// Akka.Remote's account of a <c>ctl --cluster</c> client going away: it closes its connection when it has its
    /// answer, and the node's remoting logs that as a failed association, an ERROR "Disassociated" and gated
    /// redeliveries, on every query (the client's address is in the message or in the failing endpoint actor's path).
    /// An expected event, so not shown at all.
    /// </summary>
    private static bool IsCtlClientDeparture(LogEvent logEvent) =>
        logEvent.Level >= LogEventLevel.Warning
        && (logEvent.MessageTemplate.Text.Contains(CtlClientSystem, StringComparison.Ordinal)
            || logEvent.Properties.Values.Any(value => value is ScalarValue { Value: var scalar } && scalar?.ToString() is { } text && text.Contains(CtlClientSystem, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Makes <paramref name="path"/> this process's stderr (opened for appending), as gunicorn's <c>--log-file</c>,
    /// and with <paramref name="alsoStandardOutput"/> its stdout too, as gunicorn's <c>--capture-output</c>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static void RedirectStandardErrorTo(string path, bool alsoStandardOutput = false)
    {
        int fd = Libc.Open(path, Libc.OWronly | Libc.OCreat | Libc.OAppend | Libc.OCloexec, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            throw new IOException($"cannot open log file '{path}': {Libc.LastError()}");
        }

        try
        {
            // dup2 clears close-on-exec on the new fds, so workers inherit the redirection.
            Redirect(fd, 2, path);
            if (alsoStandardOutput)
            {
                Redirect(fd, 1, path);
            }
        }
        finally
        {
            Libc.Close(fd);
        }

        // .NET's Console.Error and Console.Out write to their own duplicates of fds 2 and 1, made on first use: after
        // a reopen (USR1) they would still write to the moved file. Fresh writers on the fds themselves follow the
        // redirection; the console sink asks for Console.Error on every event.
        Console.SetError(WriterOn(2));
        if (alsoStandardOutput)
        {
            Console.SetOut(WriterOn(1));
        }
    }

    private static void Redirect(int fd, int target, string path)
    {
        if (Libc.Dup2(fd, target) < 0)
        {
            throw new IOException($"cannot redirect {(target == 1 ? "stdout" : "stderr")} to '{path}': {Libc.LastError()}");
        }
    }

    private static StreamWriter WriterOn(int fd) =>
        new(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, bufferSize: 1),
            new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
        { AutoFlush = true };

    /// <summary>Maps the setting's level onto Serilog's.</summary>
    public static LogEventLevel ToSerilogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    /// <summary>
    /// The level of Akka's own log events for the setting's level. Akka's informational chatter (logger start,
    /// coordinated shutdown phases) is for debugging the server, not for operators: below debug level only its warnings
    /// and errors are shown.
    /// </summary>
    public static Akka.Event.LogLevel ToAkkaLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => Akka.Event.LogLevel.DebugLevel,
        LogLevel.Information or LogLevel.Warning => Akka.Event.LogLevel.WarningLevel,
        _ => Akka.Event.LogLevel.ErrorLevel,
    };

    /// <summary>Adds the pid, gunicorn's level names and its timestamp form (<c>+0000</c>, no colon).</summary>
    private sealed class GunicornLineEnricher : ILogEventEnricher
    {
        private static readonly LogEventProperty Pid = new("ProcessId", new ScalarValue(Environment.ProcessId));
        private static readonly LogEventProperty[] Levels =
        [
            new("GunicornLevel", new ScalarValue("DEBUG")),
            new("GunicornLevel", new ScalarValue("DEBUG")),
            new("GunicornLevel", new ScalarValue("INFO")),
            new("GunicornLevel", new ScalarValue("WARNING")),
            new("GunicornLevel", new ScalarValue("ERROR")),
            new("GunicornLevel", new ScalarValue("CRITICAL")),
        ];

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddPropertyIfAbsent(Pid);
            logEvent.AddPropertyIfAbsent(Levels[(int)logEvent.Level]);
            logEvent.AddPropertyIfAbsent(new LogEventProperty("GunicornTime", new ScalarValue(FormatTime(logEvent.Timestamp))));
        }

        private static string FormatTime(DateTimeOffset time)
        {
            var offset = time.Offset;
            char sign = offset < TimeSpan.Zero ? '-' : '+';
            offset = offset.Duration();
            return string.Create(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm:ss} {sign}{offset.Hours:00}{offset.Minutes:00}");
        }
    }
}
