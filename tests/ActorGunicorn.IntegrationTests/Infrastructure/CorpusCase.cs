using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>A request a valid corpus case expects the application to receive.</summary>
/// <param name="Method">The method (already upper-cased by the corpus when the case sets casefold_http_method).</param>
/// <param name="Target">The raw request-target.</param>
/// <param name="Query">The query string, without '?'.</param>
/// <param name="Protocol">The version as the application sees it, e.g. <c>HTTP/1.1</c>.</param>
/// <param name="Headers">Names upper-cased (as gunicorn reports them), in order, duplicates kept.</param>
/// <param name="Body">The body bytes.</param>
/// <param name="Trailers">The trailer fields of a chunked body, names upper-cased.</param>
internal sealed record CorpusRequest(
    string Method, string Target, string Query, string Protocol,
    IReadOnlyList<(string Name, string Value)> Headers, byte[] Body, IReadOnlyList<(string Name, string Value)> Trailers);

/// <summary>
/// One case of gunicorn's request corpus (<c>shared/conformance/gunicorn-requests</c>, see its README): the bytes a
/// client sends, the server flags its settings stand for, and what gunicorn expects.
/// </summary>
internal sealed class CorpusCase
{
    /// <summary>
    /// Invalid cases whose error can only be found at end of stream, beyond those whose error is NoMoreData.
    /// rfc9112_chunked_missing_final_crlf_01 ends with the last chunk "0\r\n": a trailer field or the final CRLF may
    /// still follow, so the body is broken only once the client says it has nothing more to send.
    /// </summary>
    private static readonly HashSet<string> EndedByEndOfStream = ["invalid/rfc9112_chunked_missing_final_crlf_01"];

    private static readonly HashSet<string> ChunkErrors = ["InvalidChunkSize", "ChunkMissingTerminator", "InvalidChunkExtension"];

    private CorpusCase(string name, byte[] data, JsonElement json)
    {
        Name = name;
        Data = data;
        ServerFlags = MapSettings(json.GetProperty("settings"));
        if (json.TryGetProperty("error", out var error))
        {
            ExpectedError = error.GetString()!;
            NeedsEndOfStream = ExpectedError == "NoMoreData" || EndedByEndOfStream.Contains(name);
        }
        else
        {
            ExpectedRequests = [.. json.GetProperty("requests").EnumerateArray().Select(ReadRequest)];

            // A Content-Length body cut short by the end of the input (valid/099): the server reads until the client
            // closes its side, then hands the application what arrived.
            NeedsEndOfStream = ExpectedRequests.Any(r =>
                r.Headers.Where(h => h.Name == "CONTENT-LENGTH").Select(h => long.Parse(h.Value, CultureInfo.InvariantCulture)).FirstOrDefault(r.Body.Length) > r.Body.Length);
        }
    }

    /// <summary>The corpus folder: <c>$ACTORGUNICORN_SHARED_DIR</c>, else the <c>shared</c> folder next to the repository.</summary>
    public static string Directory { get; } = Locate();

    /// <summary>"valid/NAME" or "invalid/NAME".</summary>
    public string Name { get; }

    /// <summary>The exact bytes the client sends.</summary>
    public byte[] Data { get; }

    /// <summary>The case's settings as <c>actorgunicorn</c> flags (empty for the defaults).</summary>
    public IReadOnlyList<string> ServerFlags { get; }

    /// <summary>An invalid case's gunicorn exception class name.</summary>
    public string? ExpectedError { get; }

    /// <summary>A valid case's requests, in order (several when pipelined).</summary>
    public IReadOnlyList<CorpusRequest> ExpectedRequests { get; } = [];

    /// <summary>The server can only answer once the client has closed its sending side.</summary>
    public bool NeedsEndOfStream { get; }

    /// <summary>
    /// The README's status for an invalid case, or null when the connection must close without a response
    /// (NoMoreData: the request never ended).
    /// </summary>
    public int? ExpectedStatus => ExpectedError switch
    {
        null => null,
        "NoMoreData" => null,
        "LimitRequestHeaders" => 431,
        "ForbiddenProxyRequest" => 403,
        "UnsupportedTransferCoding" => 501,
        _ => 400,
    };

    /// <summary>A chunk error: found in the body, so after the application started reading it.</summary>
    public bool IsChunkError => ExpectedError is string error && ChunkErrors.Contains(error);

    public static IEnumerable<string> Names(string kind) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, kind), "*.http")
            .Select(f => kind + "/" + Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal);

    public static CorpusCase Load(string name)
    {
        string basePath = Path.Combine(Directory, name);
        using var json = JsonDocument.Parse(File.ReadAllText(basePath + ".json"));
        return new CorpusCase(name, File.ReadAllBytes(basePath + ".http"), json.RootElement.Clone());
    }

    public override string ToString() => Name;

    /// <summary>gunicorn's setting names to <c>actorgunicorn</c>'s flags (<c>actorgunicorn --help</c>).</summary>
    private static List<string> MapSettings(JsonElement settings)
    {
        var flags = new List<string>();
        foreach (var setting in settings.EnumerateObject().OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var value = setting.Value;
            switch (setting.Name)
            {
                case "limit_request_line":
                case "limit_request_fields":
                case "limit_request_field_size":
                    // The field-size flag keeps gunicorn's underscore.
                    flags.Add(setting.Name == "limit_request_field_size" ? "--limit-request-field_size" : "--" + setting.Name.Replace('_', '-'));
                    flags.Add(value.GetInt32().ToString(CultureInfo.InvariantCulture));
                    break;
                case "permit_obsolete_folding":
                case "strip_header_spaces":
                case "permit_unconventional_http_method":
                case "casefold_http_method":
                    if (value.GetBoolean())
                    {
                        flags.Add("--" + setting.Name.Replace('_', '-'));
                    }

                    break;
                case "header_map":
                case "forwarded_allow_ips":
                    flags.Add("--" + setting.Name.Replace('_', '-'));
                    flags.Add(value.GetString()!);
                    break;
                case "proxy_protocol":
                    // gunicorn's validate_proxy_protocol maps the boolean true to "auto".
                    flags.AddRange(value.GetBoolean() ? ["--proxy-protocol", "auto"] : []);
                    break;
                default:
                    throw new InvalidOperationException($"unmapped corpus setting {setting.Name}");
            }
        }

        return flags;
    }

    private static CorpusRequest ReadRequest(JsonElement r)
    {
        var version = r.GetProperty("version");
        var body = r.GetProperty("body");
        return new CorpusRequest(
            r.GetProperty("method").GetString()!,
            r.GetProperty("target").GetString()!,
            r.GetProperty("query").GetString()!,
            string.Create(CultureInfo.InvariantCulture, $"HTTP/{version[0].GetInt32()}.{version[1].GetInt32()}"),
            ReadFields(r.GetProperty("headers")),
            body.TryGetProperty("base64", out var base64)
                ? Convert.FromBase64String(base64.GetString()!)
                : Encoding.Latin1.GetBytes(body.GetProperty("text").GetString()!),
            r.TryGetProperty("trailers", out var trailers) ? ReadFields(trailers) : []);
    }

    private static List<(string, string)> ReadFields(JsonElement fields) =>
        [.. fields.EnumerateArray().Select(f => (f[0].GetString()!, f[1].GetString()!))];

    private static string Locate()
    {
        string? shared = Environment.GetEnvironmentVariable("ACTORGUNICORN_SHARED_DIR");
        if (string.IsNullOrEmpty(shared))
        {
            shared = Path.GetFullPath(Path.Combine(Paths.RepositoryRoot, "..", "shared"));
        }

        string corpus = Path.Combine(shared, "conformance", "gunicorn-requests");
        return System.IO.Directory.Exists(Path.Combine(corpus, "valid"))
            ? corpus
            : throw new DirectoryNotFoundException($"gunicorn request corpus not found at {corpus} (set ACTORGUNICORN_SHARED_DIR)");
    }
}
