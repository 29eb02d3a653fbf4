namespace ActorGunicorn.Configuration;

// gunicorn's StatsD metrics (Metrics/StatsdClient).
public static partial class SettingsTable
{
    private const string NoBacklogMetric = "the backlog metric is not sent yet; `actorgunicorn ctl stats` shows the "
        + "server's counters";

    /// <summary><c>statsd_host</c> (<c>--statsd-host</c>): where StatsD listens.</summary>
    public static readonly SettingDefinition<string?> StatsdHost = new(SettingKinds.OptionalText)
    {
        Name = "statsd_host",
        HoconKey = "statsd-host",
        Flags = ["--statsd-host"],
        Section = SettingSections.Logging,
        Metavar = "STATSD_ADDR",
        Default = null,
        Rule = new("HOST[:PORT] or unix://PATH", value =>
            value is null || Metrics.StatsdAddress.TryParse(value, out _, out var problem) ? null : problem),
        Summary = "StatsD address, HOST:PORT or unix://PATH; sends metrics when set.",
        Description = "The StatsD server metrics go to, over UDP: `HOST:PORT` (port 8125 when omitted) or "
            + "`unix://PATH` for a Unix datagram socket. Setting it turns the metrics on, with gunicorn's names: "
            + "`gunicorn.requests` (counter), `gunicorn.request.duration` (ms), `gunicorn.request.status.NNN` "
            + "(counter), `gunicorn.workers` (gauge, when the number changes) and `gunicorn.log.critical`, `.error`, "
            + "`.exception` and `.warning` (counters of error-log lines). A StatsD that is down or unreachable costs "
            + "nothing but the metrics.",
    };

    /// <summary><c>statsd_prefix</c> (<c>--statsd-prefix</c>): the prefix of metric names.</summary>
    public static readonly SettingDefinition<string> StatsdPrefix = new(SettingKinds.Text)
    {
        Name = "statsd_prefix",
        HoconKey = "statsd-prefix",
        Flags = ["--statsd-prefix"],
        Section = SettingSections.Logging,
        Metavar = "STATSD_PREFIX",
        Default = "",
        Summary = "Prefix of StatsD metric names.",
        Description = "A prefix for every metric name, followed by a dot.",
    };

    /// <summary><c>dogstatsd_tags</c> (<c>--dogstatsd-tags</c>): DogStatsD tags on every metric.</summary>
    public static readonly SettingDefinition<string> DogstatsdTags = new(SettingKinds.Text)
    {
        Name = "dogstatsd_tags",
        HoconKey = "dogstatsd-tags",
        Flags = ["--dogstatsd-tags"],
        Section = SettingSections.Logging,
        Metavar = "DOGSTATSD_TAGS",
        Default = "",
        Summary = "DogStatsD tags for every metric, comma-separated.",
        Description = "Tags added to every metric in DogStatsD's `|#tag1,tag2` form, comma-separated.",
    };

    /// <summary><c>enable_backlog_metric</c> (<c>--enable-backlog-metric</c>): report the listen backlog.</summary>
    public static readonly SettingDefinition<bool> EnableBacklogMetric = new(SettingKinds.Flag)
    {
        Name = "enable_backlog_metric",
        HoconKey = "enable-backlog-metric",
        Flags = ["--enable-backlog-metric"],
        Section = SettingSections.Logging,
        Default = false,
        Differs = NoBacklogMetric,
        Summary = "Report the connections waiting in the listen backlog as a metric.",
        Description = "Sends the number of connections waiting in the listeners' backlog as the `gunicorn.backlog` "
            + "metric.",
    };
}
