namespace ActorGunicorn.Configuration;

// How requests are parsed and which front ends are trusted: gunicorn's compatibility flags and proxy settings, all
// in its "Server Mechanics" section.
public static partial class SettingsTable
{
    /// <summary><c>forwarded_allow_ips</c> (<c>--forwarded-allow-ips</c>): the front ends whose forwarding headers count.</summary>
    public static readonly SettingDefinition<string> ForwardedAllowIps = new(SettingKinds.Text)
    {
        Name = "forwarded_allow_ips",
        HoconKey = "forwarded-allow-ips",
        Flags = ["--forwarded-allow-ips"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = "127.0.0.1,::1",
        Rule = SettingRules.IpAddresses,
        EnvironmentDefault = new("FORWARDED_ALLOW_IPS", value => value, "`$FORWARDED_ALLOW_IPS`"),
        Summary = "Front-end addresses trusted to set the secure-scheme and forwarder headers.",
        Description = "Comma-separated IP addresses or networks (`10.0.0.0/8`) of the front ends whose "
            + "secure-scheme-headers and forwarder-headers are believed; `*` trusts every peer. A Unix-socket peer "
            + "is always trusted. Headers from any other peer are ordinary headers.",
    };

    /// <summary><c>secure_scheme_headers</c>: headers from a trusted front end that mark a request https. HOCON only.</summary>
    public static readonly SettingDefinition<IReadOnlyDictionary<string, string>> SecureSchemeHeaders = new(SettingKinds.Map)
    {
        Name = "secure_scheme_headers",
        HoconKey = "secure-scheme-headers",
        Section = SettingSections.ServerMechanics,
        Default = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-FORWARDED-PROTOCOL"] = "ssl",
            ["X-FORWARDED-PROTO"] = "https",
            ["X-FORWARDED-SSL"] = "on",
        },
        Summary = "Headers and values with which a trusted front end marks a request https.",
        Description = "A map of header name to value: when a trusted front end (forwarded-allow-ips) sends one of "
            + "these headers, the request's scheme is https if the value matches and http if not. Like gunicorn, "
            + "a configuration-file setting only. A HOCON object is merged with the defaults (it adds or changes "
            + "headers); a list of `[name, value]` pairs replaces them, as a dict in a Python configuration does.",
    };

    /// <summary><c>forwarder_headers</c> (<c>--forwarder-headers</c>): underscore headers a trusted front end may set.</summary>
    public static readonly SettingDefinition<string> ForwarderHeaders = new(SettingKinds.Text)
    {
        Name = "forwarder_headers",
        HoconKey = "forwarder-headers",
        Flags = ["--forwarder-headers"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = "SCRIPT_NAME,PATH_INFO",
        Summary = "Header names with underscores that a trusted front end may set.",
        Description = "Comma-separated header names containing `_` that are kept when a trusted front end "
            + "(forwarded-allow-ips) sends them, whatever header-map says; `*` keeps all. As in gunicorn, a kept "
            + "`SCRIPT_NAME` header is a WSGI application's SCRIPT_NAME in place of the environment's: the request's "
            + "path must start with it (otherwise the answer is a 500 error page) and PATH_INFO is the rest.",
    };

    /// <summary><c>proxy_protocol</c> (<c>--proxy-protocol</c>): accept a PROXY header at the start of a connection.</summary>
    public static readonly SettingDefinition<string> ProxyProtocol = new(SettingKinds.Choice(
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["true"] = "auto", ["false"] = "off" },
        "off", "v1", "v2", "auto"))
    {
        Name = "proxy_protocol",
        HoconKey = "proxy-protocol",
        Flags = ["--proxy-protocol"],
        Section = SettingSections.ServerMechanics,
        Metavar = "MODE",
        Default = "off",
        Summary = "Accept the PROXY protocol: off, v1, v2 or auto.",
        Description = "Whether a connection may start with a PROXY protocol header (HAProxy, AWS and other load "
            + "balancers send it) giving the client's real address: `v1` (text), `v2` (binary), `auto` (either) or "
            + "`off`. A connection without the header is still served. Only peers in proxy-allow-from may send one. "
            + "The older boolean form is read as true = auto, false = off.",
    };

    /// <summary><c>proxy_allow_ips</c> (<c>--proxy-allow-from</c>): the peers allowed to send a PROXY header.</summary>
    public static readonly SettingDefinition<string> ProxyAllowIps = new(SettingKinds.Text)
    {
        Name = "proxy_allow_ips",
        HoconKey = "proxy-allow-ips",
        Flags = ["--proxy-allow-from"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = "127.0.0.1,::1",
        Rule = SettingRules.IpAddresses,
        Summary = "Peers allowed to send a PROXY protocol header.",
        Description = "Comma-separated IP addresses or networks allowed to send a PROXY header; `*` allows every "
            + "peer. Others get 403. A Unix-socket peer is always allowed.",
    };

    /// <summary><c>permit_obsolete_folding</c> (<c>--permit-obsolete-folding</c>).</summary>
    public static readonly SettingDefinition<bool> PermitObsoleteFolding = CompatibilityFlag(
        "permit_obsolete_folding",
        "Accept header lines folded onto continuation lines.",
        "Accept obsolete line folding (a header value continued on a line starting with a space or tab) and join "
            + "the lines with a space, instead of answering 400. RFC 9112 forbids folding in requests.");

    /// <summary><c>strip_header_spaces</c> (<c>--strip-header-spaces</c>).</summary>
    public static readonly SettingDefinition<bool> StripHeaderSpaces = CompatibilityFlag(
        "strip_header_spaces",
        "Strip spaces between a header name and its colon. Dangerous.",
        "Accept `Name : value` by stripping the whitespace before the colon, instead of answering 400. Front ends "
            + "that disagree on such headers make request smuggling possible, so leave it off unless a client needs it.");

    /// <summary><c>permit_unconventional_http_method</c> (<c>--permit-unconventional-http-method</c>).</summary>
    public static readonly SettingDefinition<bool> PermitUnconventionalHttpMethod = CompatibilityFlag(
        "permit_unconventional_http_method",
        "Accept methods in lower case, with '#', or shorter than 3 or longer than 20 characters.",
        "Accept request methods outside gunicorn's conventional form (upper case, 3 to 20 characters, no `#`); they "
            + "must still be tokens.");

    /// <summary><c>permit_unconventional_http_version</c> (<c>--permit-unconventional-http-version</c>).</summary>
    public static readonly SettingDefinition<bool> PermitUnconventionalHttpVersion = CompatibilityFlag(
        "permit_unconventional_http_version",
        "Accept HTTP versions other than 1.0 and 1.1.",
        "Accept request lines with an HTTP version outside 1.0 and 1.1 (still `HTTP/d.d`), instead of answering 400.");

    /// <summary><c>casefold_http_method</c> (<c>--casefold-http-method</c>).</summary>
    public static readonly SettingDefinition<bool> CasefoldHttpMethod = CompatibilityFlag(
        "casefold_http_method",
        "Upper-case the request method.",
        "Upper-case request methods after checking them, as gunicorn did before 22.0 (with "
            + "permit-unconventional-http-method, `get` then reaches the application as `GET`).");

    /// <summary><c>header_map</c> (<c>--header-map</c>): what to do with header names containing underscores.</summary>
    public static readonly SettingDefinition<string> HeaderMap = new(SettingKinds.Choice("drop", "refuse", "dangerous"))
    {
        Name = "header_map",
        HoconKey = "header-map",
        Flags = ["--header-map"],
        Section = SettingSections.ServerMechanics,
        Metavar = "POLICY",
        Default = "drop",
        Summary = "Header names with underscores: drop, refuse or dangerous.",
        Description = "What happens to a header whose name contains `_` (unless a trusted front end sends one of "
            + "forwarder-headers): `drop` ignores it, `refuse` answers 400, `dangerous` keeps it, so that `X_Foo` "
            + "and `X-Foo` reach a WSGI application as the same HTTP_X_FOO (which lets a client overwrite a header "
            + "the front end set).",
    };

    private static SettingDefinition[] HttpParsingRows =>
    [
        ForwardedAllowIps, SecureSchemeHeaders, ForwarderHeaders, ProxyProtocol, ProxyAllowIps, PermitObsoleteFolding,
        StripHeaderSpaces, PermitUnconventionalHttpMethod, PermitUnconventionalHttpVersion, CasefoldHttpMethod, HeaderMap,
    ];

    private static SettingDefinition<bool> CompatibilityFlag(string name, string summary, string description) => new(SettingKinds.Flag)
    {
        Name = name,
        HoconKey = name.Replace('_', '-'),
        Flags = ["--" + name.Replace('_', '-')],
        Section = SettingSections.ServerMechanics,
        Default = false,
        Summary = summary,
        Description = description,
    };
}
