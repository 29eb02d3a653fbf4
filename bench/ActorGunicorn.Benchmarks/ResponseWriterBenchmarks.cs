using System.Buffers;
using ActorGunicorn.Http;
using BenchmarkDotNet.Attributes;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// <see cref="HttpResponseHeadWriter"/>: validating the application's headers, deciding the framing and writing the
/// head, into a reused buffer as the exchange does; and the cached Date value it is given.
/// </summary>
[MemoryDiagnoser]
public class ResponseWriterBenchmarks
{
    private static readonly HttpResponseHeader[] HelloHeaders =
    [
        new("Content-Type", "text/plain"),
        new("Content-Length", "13"),
    ];

    // What a Flask view with a session typically answers with.
    private static readonly HttpResponseHeader[] FrameworkHeaders =
    [
        new("Content-Type", "text/html; charset=utf-8"),
        new("Content-Length", "10240"),
        new("Vary", "Cookie"),
        new("Set-Cookie", "session=eyJjc3JmX3Rva2VuIjoiYWJjIn0.Z1x2Yw.sig; HttpOnly; Path=/; SameSite=Lax"),
        new("Cache-Control", "no-cache"),
        new("X-Frame-Options", "SAMEORIGIN"),
    ];

    private readonly HttpResponseHeadWriter _writer = new("actorgunicorn");
    private readonly HttpDate _date = new(TimeProvider.System);
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly HttpResponseContext _keepAlive = new(RequestIsHttp11OrLater: true, IsHeadRequest: false, RequestKeepAlive: true, ServerWantsClose: false);

    /// <summary>The hello response: two application headers, keep-alive, a Content-Length.</summary>
    [Benchmark]
    public HttpResponseHeadError HelloHead() => Write(HelloHeaders);

    /// <summary>A framework's response: six application headers, one of them a long cookie.</summary>
    [Benchmark]
    public HttpResponseHeadError SixHeaderHead() => Write(FrameworkHeaders);

    /// <summary>The Date header value, formatted at most once a second and served from a cache.</summary>
    [Benchmark]
    public int DateValue() => _date.GetBytes().Length;

    private HttpResponseHeadError Write(HttpResponseHeader[] headers)
    {
        _output.ResetWrittenCount();
        return _writer.TryWrite(_output, 200, null, headers, _keepAlive, _date.GetBytes(), out _, out _);
    }
}
