namespace ActorGunicorn.Configuration;

// gunicorn's ways of configuring Python's logging module for the server's own log. This server logs through Serilog;
// these settings keep gunicorn command lines working.
public static partial class SettingsTable
{
    private const string SerilogLogs = "the server's own log is written by Serilog, not by Python's logging module, "
        + "so a Python logging configuration does not shape it; the application's own `logging` calls still go "
        + "where the application configures them";

    /// <summary><c>capture_output</c> (<c>--capture-output</c>): workers' stdout and stderr go to the error log.</summary>
    public static readonly SettingDefinition<bool> CaptureOutput = new(SettingKinds.Flag)
    {
        Name = "capture_output",
        HoconKey = "capture-output",
        Flags = ["--capture-output"],
        Section = SettingSections.Logging,
        Default = false,
        Summary = "Send the application's standard output and error to the error log file.",
        Description = "Redirect standard output and standard error of the server's processes to the error log file "
            + "(`errorlog`), so that an application's `print` calls land there too. Needs an error log file; with "
            + "`-` (the default) nothing is redirected.",
    };

    /// <summary><c>logger_class</c> (<c>--logger-class</c>): gunicorn's Python logger class.</summary>
    public static readonly SettingDefinition<string> LoggerClass = new(SettingKinds.Text)
    {
        Name = "logger_class",
        HoconKey = "logger-class",
        Flags = ["--logger-class"],
        Section = SettingSections.Logging,
        Metavar = "STRING",
        Default = "gunicorn.glogging.Logger",
        Differs = SerilogLogs,
        Summary = "gunicorn's Python class for its logs.",
        Description = "The Python class gunicorn logs through, a subclass of `gunicorn.glogging.Logger`.",
    };

    /// <summary><c>logconfig</c> (<c>--log-config</c>): a logging.config.fileConfig file.</summary>
    public static readonly SettingDefinition<string?> LogConfig = new(SettingKinds.OptionalText)
    {
        Name = "logconfig",
        HoconKey = "logconfig",
        Flags = ["--log-config"],
        Section = SettingSections.Logging,
        Metavar = "FILE",
        Default = null,
        Differs = SerilogLogs,
        Summary = "A Python logging configuration file (fileConfig format).",
        Description = "A file in the format of Python's `logging.config.fileConfig` that configures gunicorn's logging.",
    };

    /// <summary><c>logconfig_json</c> (<c>--log-config-json</c>): a logging.config.dictConfig JSON file.</summary>
    public static readonly SettingDefinition<string?> LogConfigJson = new(SettingKinds.OptionalText)
    {
        Name = "logconfig_json",
        HoconKey = "logconfig-json",
        Flags = ["--log-config-json"],
        Section = SettingSections.Logging,
        Metavar = "FILE",
        Default = null,
        Differs = SerilogLogs,
        Summary = "A Python logging configuration as JSON (dictConfig format).",
        Description = "A JSON file in the format of Python's `logging.config.dictConfig` that configures gunicorn's logging.",
    };
}
