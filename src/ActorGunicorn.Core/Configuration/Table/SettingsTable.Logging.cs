namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>accesslog</c> (<c>--access-logfile</c>): where access log lines go, if anywhere.</summary>
    public static readonly SettingDefinition<string?> AccessLog = new(SettingKinds.OptionalText)
    {
        Name = "accesslog",
        HoconKey = "accesslog",
        Flags = ["--access-logfile"],
        Section = SettingSections.Logging,
        Metavar = "FILE",
        Default = null,
        Summary = "Access log file; '-' means standard output.",
        Description = "The file that receives one line per request. `-` writes to standard output; null (the "
            + "default) writes no access log.",
    };

    /// <summary><c>access_log_format</c> (<c>--access-logformat</c>): the access log line format.</summary>
    public static readonly SettingDefinition<string> AccessLogFormat = new(SettingKinds.Text)
    {
        Name = "access_log_format",
        HoconKey = "access-log-format",
        Flags = ["--access-logformat"],
        Section = SettingSections.Logging,
        Metavar = "STRING",
        Default = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"",
        Summary = "Format of access log lines.",
        Description = "The format of access log lines, with gunicorn's `%(atom)s` placeholders: for example `h` "
            + "remote address, `t` time, `r` request line, `s` status, `b` response length, `f` referer, `a` user "
            + "agent, `D` duration in microseconds. The default is the Apache combined format.",
    };

    /// <summary><c>errorlog</c> (<c>--error-logfile</c>, <c>--log-file</c>): where the error log goes.</summary>
    public static readonly SettingDefinition<string> ErrorLog = new(SettingKinds.Text)
    {
        Name = "errorlog",
        HoconKey = "errorlog",
        Flags = ["--error-logfile", "--log-file"],
        Section = SettingSections.Logging,
        Metavar = "FILE",
        Default = "-",
        Summary = "Error log file; '-' means standard error.",
        Description = "The file that receives the server's own log: start-up, worker lifecycle, errors. `-` writes "
            + "to standard error.",
    };

    /// <summary><c>loglevel</c> (<c>--log-level</c>): the least severe error-log level written.</summary>
    public static readonly SettingDefinition<string> LogLevel = new(SettingKinds.Choice("debug", "info", "warning", "error", "critical"))
    {
        Name = "loglevel",
        HoconKey = "loglevel",
        Flags = ["--log-level"],
        Section = SettingSections.Logging,
        Metavar = "LEVEL",
        Default = "info",
        Summary = "Least severe level the error log records.",
        Description = "The least severe level the error log records: debug, info, warning, error or critical, in any "
            + "case. It does not affect the access log.",
    };

    /// <summary><c>enable_stdio_inheritance</c> (<c>-R/--enable-stdio-inheritance</c>): a daemon keeps stdout and stderr.</summary>
    public static readonly SettingDefinition<bool> EnableStdioInheritance = new(SettingKinds.Flag)
    {
        Name = "enable_stdio_inheritance",
        HoconKey = "enable-stdio-inheritance",
        Flags = ["-R", "--enable-stdio-inheritance"],
        Section = SettingSections.Logging,
        Default = false,
        Summary = "In daemon mode, keep standard output and error.",
        Description = "With --daemon, the daemon keeps the standard output and error it was started with (a file "
            + "the shell redirected them to, say) instead of `/dev/null`; standard input is always `/dev/null`.",
    };

    private static SettingDefinition[] LoggingRows =>
    [
        AccessLog, DisableRedirectAccessToSyslog, AccessLogFormat, ErrorLog, LogLevel, CaptureOutput, LoggerClass, LogConfig,
        LogConfigJson, SyslogAddr, Syslog, SyslogPrefix, SyslogFacility, EnableStdioInheritance, StatsdHost, DogstatsdTags,
        StatsdPrefix, EnableBacklogMetric,
    ];
}
