using Serilog.Core;
using Serilog.Events;

namespace ActorGunicorn.Metrics;

/// <summary>gunicorn's log-level counters: each warning, error, exception and critical line of the error log counts once.</summary>
/// <param name="statsd">Where the counts go.</param>
internal sealed class StatsdLogSink(StatsdClient statsd) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        var metric = logEvent.Level switch
        {
            LogEventLevel.Fatal => "gunicorn.log.critical",
            LogEventLevel.Error => logEvent.Exception is null ? "gunicorn.log.error" : "gunicorn.log.exception",
            LogEventLevel.Warning => "gunicorn.log.warning",
            _ => null,
        };
        if (metric is not null)
        {
            statsd.Increment(metric);
        }
    }
}
