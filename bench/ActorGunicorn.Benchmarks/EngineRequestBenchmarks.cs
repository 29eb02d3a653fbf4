using System.Buffers;
using ActorGunicorn.Http;
using BenchmarkDotNet.Attributes;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// The HTTP engine's whole share of one hello request, without sockets or actors: parse the request as wrk sends
/// it, decide the response context, write the head and the body into the connection's output buffer. This is what
/// the worker's exchange does around the application; the part that is not here (actors, the socket, the
/// exchange object) is in <see cref="WorkerRoundTripBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class EngineRequestBenchmarks
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();

    private static readonly HttpResponseHeader[] HelloHeaders =
    [
        new("Content-Type", "text/plain"),
        new("Content-Length", "13"),
    ];

    private readonly HttpRequestParser _parser = new(HttpParserOptions.Default);
    private readonly HttpRequestHead _head = new();
    private readonly HttpResponseHeadWriter _writer = new("actorgunicorn");
    private readonly HttpDate _date = new(TimeProvider.System);
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ReadOnlySequence<byte> _request;

    [GlobalSetup]
    public void Setup() => _request = SampleRequests.AsSequence(SampleRequests.Minimal);

    /// <summary>Request bytes in, response bytes out.</summary>
    [Benchmark]
    public int HelloRequest()
    {
        if (_parser.TryParseHead(_request, _head, out _, out _, out _) != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException("The request did not parse.");
        }

        _output.ResetWrittenCount();
        var context = HttpResponseContext.For(_head, serverWantsClose: false);
        _writer.TryWrite(_output, 200, null, HelloHeaders, context, _date.GetBytes(), out _, out _);
        _output.Write(Hello);
        return _output.WrittenCount;
    }
}
