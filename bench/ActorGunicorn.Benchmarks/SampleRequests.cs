using System.Buffers;
using System.Text;

namespace ActorGunicorn.Benchmarks;

/// <summary>The requests the benchmarks parse: what a browser-like client or a load generator sends.</summary>
internal static class SampleRequests
{
    /// <summary>A GET with five typical header fields.</summary>
    public static readonly byte[] Get = Encoding.ASCII.GetBytes(
        "GET /hello?name=world HTTP/1.1\r\n" +
        "Host: 127.0.0.1:8000\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Language: en-GB,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "\r\n");

    /// <summary>The head of a form POST with a 10 KB body.</summary>
    public static readonly byte[] PostHead = Encoding.ASCII.GetBytes(
        "POST /echo HTTP/1.1\r\n" +
        "Host: 127.0.0.1:8000\r\n" +
        "User-Agent: python-requests/2.28.1\r\n" +
        "Accept: */*\r\n" +
        "Content-Type: application/octet-stream\r\n" +
        "Content-Length: 10240\r\n" +
        "\r\n");

    /// <summary>The 10 KB body that follows <see cref="PostHead"/>.</summary>
    public static readonly byte[] PostBody = Enumerable.Repeat((byte)'x', 10240).ToArray();

    /// <summary>What wrk sends: the smallest valid keep-alive request.</summary>
    public static readonly byte[] Minimal = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    /// <summary>How many requests <see cref="Pipelined"/> holds.</summary>
    public const int PipelineDepth = 16;

    /// <summary><see cref="PipelineDepth"/> copies of <see cref="Get"/> back to back, as a pipelining client sends them.</summary>
    public static readonly byte[] Pipelined = Enumerable.Repeat(Get, PipelineDepth).SelectMany(request => request).ToArray();

    /// <summary>The bytes as one segment, the way a connection's input buffer hands them to the parser.</summary>
    public static ReadOnlySequence<byte> AsSequence(byte[] bytes) => new(bytes);
}
