using System.Buffers;
using System.Text;
using Xunit;

namespace ActorGunicorn.Http.Tests;

/// <summary>A client trickling bytes must cost linear work: each call looks only at bytes not yet searched.</summary>
public sealed class LinearWorkTests
{
    [Fact]
    public void A_header_section_fed_one_byte_at_a_time_is_scanned_a_bounded_number_of_times()
    {
        var request = new StringBuilder("GET /trickle HTTP/1.1\r\n");
        for (int i = 0; i < 300; i++)
        {
            request.Append("X-Header-").Append(i).Append(": some value here\r\n");
        }

        byte[] data = Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
        var options = new HttpParserOptions { LimitRequestFields = 1000 };
        var parser = new HttpRequestParser(options);
        var head = new HttpRequestHead();
        HttpParseStatus status = HttpParseStatus.Incomplete;
        for (int length = 1; length <= data.Length; length++)
        {
            status = parser.TryParseHead(new ReadOnlySequence<byte>(data, 0, length), head, out _, out _, out _);
            Assert.Equal(length == data.Length ? HttpParseStatus.Complete : HttpParseStatus.Incomplete, status);
        }

        Assert.Equal(300, head.Headers.Count);

        // Rescanning from the start on each call would be ~data.Length^2 / 2 (about 60 million here).
        Assert.InRange(parser.BytesScanned, data.Length, 6L * data.Length);
    }

    [Fact]
    public void A_long_chunk_extension_and_trailer_section_fed_one_byte_at_a_time_are_scanned_linearly()
    {
        var parser = new HttpRequestParser(HttpParserOptions.Default);
        var head = new HttpRequestHead();
        parser.TryParseHead(new ReadOnlySequence<byte>("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray()), head, out _, out _, out _);
        var trailers = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            trailers.Append("T-").Append(i).Append(": v\r\n");
        }

        byte[] body = Encoding.ASCII.GetBytes("3;" + new string('e', 4000) + "\r\nabc\r\n0\r\n" + trailers + "\r\n");
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        decoder.Reset(head);
        int offset = 0;
        var payload = new List<byte>();
        for (int end = 1; end <= body.Length; end++)
        {
            var buffer = new ReadOnlySequence<byte>(body, offset, end - offset);
            HttpBodyStatus status;
            SequencePosition consumed;
            while ((status = decoder.Decode(buffer, out ReadOnlySequence<byte> data, out consumed, out _, out _)) == HttpBodyStatus.Data)
            {
                payload.AddRange(data.ToArray());
                buffer = buffer.Slice(consumed);
            }

            offset = end - (int)buffer.Slice(consumed).Length;
            Assert.Equal(end == body.Length ? HttpBodyStatus.Complete : HttpBodyStatus.NeedMoreData, status);
        }

        Assert.Equal("abc"u8.ToArray(), payload.ToArray());
        Assert.Equal(50, head.Trailers.Count);
        Assert.InRange(decoder.BytesScanned, body.Length / 2, 6L * body.Length);
    }
}
