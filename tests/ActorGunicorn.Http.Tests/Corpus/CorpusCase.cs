using System.Net;
using System.Text;
using System.Text.Json;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>A request expected from a valid case: the fields gunicorn's harness compares.</summary>
internal sealed record ExpectedRequest(
    string Method, string Target, string Path, string Query, string Fragment, int Major, int Minor,
    IReadOnlyList<(string Name, string Value)> Headers, byte[] Body, IReadOnlyList<(string Name, string Value)> Trailers);

/// <summary>
/// One corpus case: its wire bytes, its settings mapped onto the engine, and what gunicorn expects (or, for the
/// framing cases of <c>Corpus/Framing</c>, what RFC 9112 requires where gunicorn is laxer).
/// </summary>
internal sealed class CorpusCase
{
    /// <summary>The peer every case is driven from.</summary>
    public static readonly IPAddress Peer = IPAddress.Loopback;

    /// <summary>
    /// Corrections to the corpus json, each checked against gunicorn's code. valid/100: the json's path was computed
    /// with plain urlsplit, which reads "///keeping_slashes" as an empty authority; gunicorn's split_request_uri
    /// treats a target starting with "//" as a path, so gunicorn (and its own harness) keeps all three slashes.
    /// </summary>
    private static readonly Dictionary<string, string> PathErrata = new() { ["valid/100"] = "///keeping_slashes" };

    private CorpusCase(string name, byte[] data, JsonElement json)
    {
        Name = name;
        Data = data;
        JsonElement settings = json.GetProperty("settings");
        Options = MapSettings(settings, out IpAllowList forwardedAllowIps);
        PeerIsTrustedForwarder = forwardedAllowIps.Contains(Peer);

        // gunicorn's proxy_allow_ips default, which holds the peer.
        PeerMayUseProxyProtocol = IpAllowList.Parse("127.0.0.1,::1").Contains(Peer);
        if (json.TryGetProperty("error", out JsonElement error))
        {
            ExpectedError = Enum.Parse<HttpRejectionReason>(error.GetString()!);
        }
        else
        {
            ExpectedRequests = [.. json.GetProperty("requests").EnumerateArray().Select(r => ReadRequest(name, r))];
        }
    }

    public string Name { get; }

    public byte[] Data { get; }

    public HttpParserOptions Options { get; }

    public bool PeerIsTrustedForwarder { get; }

    public bool PeerMayUseProxyProtocol { get; }

    public HttpRejectionReason? ExpectedError { get; }

    public IReadOnlyList<ExpectedRequest> ExpectedRequests { get; } = [];

    /// <summary>The cases of one kind ("valid" or "invalid"): gunicorn's corpus, then this project's framing cases.</summary>
    public static IEnumerable<string> Names(string kind) => GunicornNames(kind).Concat(FramingNames(kind));

    /// <summary>gunicorn's corpus only, named <c>kind/NAME</c>.</summary>
    public static IEnumerable<string> GunicornNames(string kind) => NamesIn(CorpusLocator.Directory, kind, prefix: "");

    /// <summary>The framing cases of <c>Corpus/Framing</c> (see its README), named <c>framing/kind/NAME</c>.</summary>
    public static IEnumerable<string> FramingNames(string kind) => NamesIn(CorpusLocator.FramingDirectory, kind, FramingPrefix);

    public static CorpusCase Load(string name)
    {
        string basePath = name.StartsWith(FramingPrefix, StringComparison.Ordinal)
            ? Path.Combine(CorpusLocator.FramingDirectory, name[FramingPrefix.Length..])
            : Path.Combine(CorpusLocator.Directory, name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(basePath + ".json"));
        return new CorpusCase(name, File.ReadAllBytes(basePath + ".http"), json.RootElement.Clone());
    }

    private const string FramingPrefix = "framing/";

    private static IEnumerable<string> NamesIn(string directory, string kind, string prefix) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(directory, kind), "*.http")
            .Select(f => prefix + kind + "/" + Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal);

    private static readonly HashSet<string> KnownSettings =
    [
        "limit_request_line", "limit_request_fields", "limit_request_field_size", "permit_obsolete_folding",
        "strip_header_spaces", "permit_unconventional_http_method", "casefold_http_method", "header_map",
        "proxy_protocol", "forwarded_allow_ips",
    ];

    private static HttpParserOptions MapSettings(JsonElement settings, out IpAllowList forwardedAllowIps)
    {
        foreach (JsonProperty setting in settings.EnumerateObject())
        {
            if (!KnownSettings.Contains(setting.Name))
            {
                throw new InvalidOperationException("Unmapped corpus setting " + setting.Name);
            }
        }

        HttpParserOptions d = HttpParserOptions.Default;
        int Int(string name, int fallback) => settings.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : fallback;
        bool Bool(string name) => settings.TryGetProperty(name, out JsonElement v) && v.GetBoolean();
        string? Text(string name) => settings.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

        // gunicorn's default forwarded_allow_ips.
        forwardedAllowIps = IpAllowList.Parse(Text("forwarded_allow_ips") ?? "127.0.0.1,::1");
        return new HttpParserOptions
        {
            LimitRequestLine = Int("limit_request_line", d.LimitRequestLine),
            LimitRequestFields = Int("limit_request_fields", d.LimitRequestFields),
            LimitRequestFieldSize = Int("limit_request_field_size", d.LimitRequestFieldSize),
            PermitObsoleteFolding = Bool("permit_obsolete_folding"),
            StripHeaderSpaces = Bool("strip_header_spaces"),
            PermitUnconventionalHttpMethod = Bool("permit_unconventional_http_method"),
            CasefoldHttpMethod = Bool("casefold_http_method"),
            HeaderMap = Text("header_map") is string map ? Enum.Parse<HeaderMapPolicy>(map, ignoreCase: true) : d.HeaderMap,

            // gunicorn's validate_proxy_protocol maps the boolean true to "auto".
            ProxyProtocol = Bool("proxy_protocol") ? ProxyProtocolMode.Auto : ProxyProtocolMode.Off,
        };
    }

    private static ExpectedRequest ReadRequest(string name, JsonElement r)
    {
        JsonElement version = r.GetProperty("version");
        string path = PathErrata.TryGetValue(name, out string? corrected) ? corrected : r.GetProperty("path").GetString()!;
        return new ExpectedRequest(
            r.GetProperty("method").GetString()!,
            r.GetProperty("target").GetString()!,
            path,
            r.GetProperty("query").GetString()!,
            r.GetProperty("fragment").GetString()!,
            version[0].GetInt32(),
            version[1].GetInt32(),
            ReadFields(r.GetProperty("headers")),
            ReadBody(r.GetProperty("body")),
            r.TryGetProperty("trailers", out JsonElement trailers) ? ReadFields(trailers) : []);
    }

    private static List<(string, string)> ReadFields(JsonElement fields) =>
        [.. fields.EnumerateArray().Select(f => (f[0].GetString()!, f[1].GetString()!))];

    private static byte[] ReadBody(JsonElement body) =>
        body.TryGetProperty("base64", out JsonElement b64)
            ? Convert.FromBase64String(b64.GetString()!)
            : Encoding.Latin1.GetBytes(body.GetProperty("text").GetString()!);

    public override string ToString() => Name;
}
