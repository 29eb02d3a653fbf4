using System.Buffers;
using System.Text;

namespace ActorGunicorn.Http.Tests;

/// <summary>One-shot helpers for the unit tests: parse a whole string, decode a whole body.</summary>
internal static class ParserHarness
{
    public sealed record HeadResult(HttpParseStatus Status, HttpRequestHead Head, HttpRejection? Rejection, long Consumed);

    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static HeadResult Parse(string request, HttpParserOptions? options = null, bool trusted = false, string scheme = "http")
    {
        var parser = new HttpRequestParser(options ?? HttpParserOptions.Default, trusted, scheme);
        var head = new HttpRequestHead();
        var buffer = new ReadOnlySequence<byte>(Bytes(request));
        HttpParseStatus status = parser.TryParseHead(buffer, head, out SequencePosition consumed, out _, out HttpRejection? rejection);
        return new HeadResult(status, head, rejection, buffer.Slice(buffer.Start, consumed).Length);
    }

    public static HttpRejectionReason? RejectionOf(string request, HttpParserOptions? options = null, bool trusted = false)
    {
        HeadResult result = Parse(request, options, trusted);
        return result.Status == HttpParseStatus.Rejected ? result.Rejection!.Reason : null;
    }

    /// <summary>Decodes the body of the request that <paramref name="head"/> describes from <paramref name="body"/> given at once.</summary>
    public static (HttpBodyStatus Status, byte[] Payload, long Consumed, HttpRejection? Rejection) Decode(HttpRequestHead head, string body, HttpParserOptions? options = null)
    {
        var decoder = new HttpBodyDecoder(options ?? HttpParserOptions.Default);
        decoder.Reset(head);
        var buffer = new ReadOnlySequence<byte>(Bytes(body));
        var payload = new List<byte>();
        while (true)
        {
            HttpBodyStatus status = decoder.Decode(buffer, out ReadOnlySequence<byte> data, out SequencePosition consumed, out _, out HttpRejection? rejection);
            if (status == HttpBodyStatus.Data)
            {
                payload.AddRange(data.ToArray());
                buffer = buffer.Slice(consumed);
                continue;
            }

            long used = Bytes(body).Length - buffer.Slice(consumed).Length;
            return (status, [.. payload], used, rejection);
        }
    }
}
