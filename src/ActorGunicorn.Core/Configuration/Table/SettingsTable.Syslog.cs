namespace ActorGunicorn.Configuration;

// gunicorn's syslog output.
public static partial class SettingsTable
{
    private const string NoSyslog = "nothing is sent to syslog yet; the error log and the access log go to their "
        + "files or to standard error and output, where journald or a log shipper can collect them";

    /// <summary><c>syslog</c> (<c>--log-syslog</c>): send the logs to syslog.</summary>
    public static readonly SettingDefinition<bool> Syslog = new(SettingKinds.Flag)
    {
        Name = "syslog",
        HoconKey = "syslog",
        Flags = ["--log-syslog"],
        Section = SettingSections.Logging,
        Default = false,
        Differs = NoSyslog,
        Summary = "Send the logs to syslog.",
        Description = "Send the error log, and the access log unless disable-redirect-access-to-syslog, to syslog at "
            + "syslog-addr.",
    };

    /// <summary><c>syslog_addr</c> (<c>--log-syslog-to</c>): where syslog listens.</summary>
    public static readonly SettingDefinition<string> SyslogAddr = new(SettingKinds.Text)
    {
        Name = "syslog_addr",
        HoconKey = "syslog-addr",
        Flags = ["--log-syslog-to"],
        Section = SettingSections.Logging,
        Metavar = "SYSLOG_ADDR",
        Default = "udp://localhost:514",
        Differs = NoSyslog,
        Summary = "Syslog address: udp://HOST:PORT, tcp://HOST:PORT or unix://PATH.",
        Description = "Where syslog listens: `udp://HOST:PORT`, `tcp://HOST:PORT` or `unix://PATH#TYPE`.",
    };

    /// <summary><c>syslog_prefix</c> (<c>--log-syslog-prefix</c>): the program name in syslog entries.</summary>
    public static readonly SettingDefinition<string?> SyslogPrefix = new(SettingKinds.OptionalText)
    {
        Name = "syslog_prefix",
        HoconKey = "syslog-prefix",
        Flags = ["--log-syslog-prefix"],
        Section = SettingSections.Logging,
        Metavar = "SYSLOG_PREFIX",
        Default = null,
        Differs = NoSyslog,
        Summary = "Program name in syslog entries.",
        Description = "The program name syslog entries carry, `gunicorn.<prefix>`.",
    };

    /// <summary><c>syslog_facility</c> (<c>--log-syslog-facility</c>): the syslog facility.</summary>
    public static readonly SettingDefinition<string> SyslogFacility = new(SettingKinds.Text)
    {
        Name = "syslog_facility",
        HoconKey = "syslog-facility",
        Flags = ["--log-syslog-facility"],
        Section = SettingSections.Logging,
        Metavar = "SYSLOG_FACILITY",
        Default = "user",
        Differs = NoSyslog,
        Summary = "Syslog facility name.",
        Description = "The syslog facility of the entries, for example `user`, `daemon` or `local0`.",
    };

    /// <summary><c>disable_redirect_access_to_syslog</c> (<c>--disable-redirect-access-to-syslog</c>).</summary>
    public static readonly SettingDefinition<bool> DisableRedirectAccessToSyslog = new(SettingKinds.Flag)
    {
        Name = "disable_redirect_access_to_syslog",
        HoconKey = "disable-redirect-access-to-syslog",
        Flags = ["--disable-redirect-access-to-syslog"],
        Section = SettingSections.Logging,
        Default = false,
        Differs = NoSyslog,
        Summary = "Keep the access log out of syslog.",
        Description = "With `syslog`, send only the error log to syslog, not the access log.",
    };
}
