using System.Buffers;
using ActorGunicorn.Http;
using BenchmarkDotNet.Attributes;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// <see cref="HttpRequestParser"/> on whole heads, as a connection sees them when a request arrives in one read; and
/// <see cref="HttpBodyDecoder"/> on a 10 KB Content-Length body. One parser and one head are reused, as a connection
/// reuses them.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly HttpRequestParser _parser = new(HttpParserOptions.Default);
    private readonly HttpRequestHead _head = new();
    private readonly HttpBodyDecoder _decoder = new(HttpParserOptions.Default);
    private readonly HttpRequestHead _postHead = new();
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _post;
    private ReadOnlySequence<byte> _postBody;
    private ReadOnlySequence<byte> _pipelined;

    [GlobalSetup]
    public void Setup()
    {
        _get = SampleRequests.AsSequence(SampleRequests.Get);
        _post = SampleRequests.AsSequence(SampleRequests.PostHead);
        _postBody = SampleRequests.AsSequence(SampleRequests.PostBody);
        _pipelined = SampleRequests.AsSequence(SampleRequests.Pipelined);
        Expect(_parser.TryParseHead(_post, _postHead, out _, out _, out _));
    }

    /// <summary>A GET with five header fields.</summary>
    [Benchmark]
    public HttpParseStatus GetWithFiveHeaders() => _parser.TryParseHead(_get, _head, out _, out _, out _);

    /// <summary>The head of a POST with Content-Type and Content-Length (framing decided from them).</summary>
    [Benchmark]
    public HttpParseStatus PostHead() => _parser.TryParseHead(_post, _head, out _, out _, out _);

    /// <summary>Sixteen pipelined GETs parsed one after another from one buffer; the time is per request.</summary>
    [Benchmark(OperationsPerInvoke = SampleRequests.PipelineDepth)]
    public int PipelinedGets()
    {
        var remaining = _pipelined;
        int parsed = 0;
        while (_parser.TryParseHead(remaining, _head, out var consumed, out _, out _) == HttpParseStatus.Complete)
        {
            remaining = remaining.Slice(consumed);
            parsed++;
        }

        return parsed;
    }

    /// <summary>A 10 KB Content-Length body decoded from one buffer (the POST echo's request body).</summary>
    [Benchmark]
    public long PostBody10K()
    {
        _decoder.Reset(_postHead);
        long total = 0;
        var remaining = _postBody;
        while (_decoder.Decode(remaining, out var payload, out var consumed, out _, out _) == HttpBodyStatus.Data)
        {
            total += payload.Length;
            remaining = remaining.Slice(consumed);
        }

        return total;
    }

    private static void Expect(HttpParseStatus status)
    {
        if (status != HttpParseStatus.Complete)
        {
            throw new InvalidOperationException($"The sample request did not parse: {status}.");
        }
    }
}
