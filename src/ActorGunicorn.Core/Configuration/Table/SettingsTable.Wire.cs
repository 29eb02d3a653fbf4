namespace ActorGunicorn.Configuration;

// gunicorn's choices about the bytes on the wire: the listeners' protocol and sendfile(2).
public static partial class SettingsTable
{
    /// <summary><c>protocol</c> (<c>--protocol</c>): HTTP or nginx's uwsgi protocol on the listeners.</summary>
    public static readonly SettingDefinition<string> Protocol = new(SettingKinds.Choice("http", "uwsgi"))
    {
        Name = "protocol",
        HoconKey = "protocol",
        Flags = ["--protocol"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = "http",
        // Refused rather than warned about: a front end speaking uwsgi to an HTTP listener fails every request.
        Rule = new("http (uwsgi is not spoken yet)", value => value == "uwsgi"
            ? "'uwsgi' is not spoken yet; have nginx use proxy_pass (HTTP) instead of uwsgi_pass"
            : null),
        Differs = "`uwsgi` is refused at start: this server speaks HTTP only",
        DiffersFor = _ => false,
        Summary = "Protocol of the listeners: http.",
        Description = "The protocol the listeners speak. gunicorn 24 added `uwsgi`, the binary protocol of nginx's "
            + "`uwsgi_pass`; this server speaks HTTP and refuses `uwsgi` at start rather than fail every request.",
    };

    /// <summary><c>uwsgi_allow_ips</c> (<c>--uwsgi-allow-from</c>): peers allowed to speak the uwsgi protocol.</summary>
    public static readonly SettingDefinition<string> UwsgiAllowIps = new(SettingKinds.Text)
    {
        Name = "uwsgi_allow_ips",
        HoconKey = "uwsgi-allow-ips",
        Flags = ["--uwsgi-allow-from"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = "127.0.0.1,::1",
        Rule = SettingRules.IpAddresses,
        Differs = "the uwsgi protocol is not spoken, so the list has no use",
        Summary = "Addresses allowed to speak the uwsgi protocol, comma-separated, or *.",
        Description = "The front ends allowed to send requests in the uwsgi protocol: addresses or networks, "
            + "comma-separated, or `*` for any.",
    };

    /// <summary><c>sendfile</c> (<c>--no-sendfile</c>): whether file responses use sendfile(2).</summary>
    public static readonly SettingDefinition<bool> SendFile = new(SettingKinds.ClearingFlag)
    {
        Name = "sendfile",
        HoconKey = "sendfile",
        Flags = ["--no-sendfile"],
        Section = SettingSections.ServerMechanics,
        Default = true,
        Summary = "Do not use sendfile(2) for file responses.",
        Description = "Whether files that applications return through `wsgi.file_wrapper` go to the socket with "
            + "sendfile(2). gunicorn users turn it off for file systems where sendfile misbehaves (some virtual "
            + "machines' shared folders); the files are then read and sent in blocks.",
    };
}
