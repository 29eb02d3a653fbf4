using System.Buffers;
using Xunit;

namespace ActorGunicorn.Http.Tests;

/// <summary>The common path must not allocate: an ordinary GET parsed, its empty body decoded, a response head written.</summary>
public sealed class AllocationTests
{
    private static readonly byte[] Request =
        "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\nAccept: text/plain\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"u8.ToArray();

    [Fact]
    public void Parsing_and_answering_an_ordinary_GET_allocates_nothing()
    {
        var parser = new HttpRequestParser(HttpParserOptions.Default);
        var head = new HttpRequestHead();
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        var writer = new HttpResponseHeadWriter();
        var output = new ArrayBufferWriter<byte>(4096);
        HttpResponseHeader[] headers = [new("Content-Type", "text/plain"), new("Content-Length", "13")];
        byte[] date = new byte[HttpDate.Length];
        HttpDate.Format(DateTimeOffset.UnixEpoch, date);

        void RoundTrip()
        {
            var buffer = new ReadOnlySequence<byte>(Request);
            parser.TryParseHead(buffer, head, out SequencePosition consumed, out _, out _);
            decoder.Reset(head);
            decoder.Decode(buffer.Slice(consumed), out _, out _, out _, out _);
            _ = head.Method;
            output.ResetWrittenCount();
            writer.TryWrite(output, 200, null, headers, HttpResponseContext.For(head, false), date, out _, out _);
        }

        RoundTrip();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RoundTrip();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("GET", head.Method);
        Assert.Equal(5, head.Headers.Count);
    }
}
