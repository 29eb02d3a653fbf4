using System.Buffers;
using Xunit;
using static ActorGunicorn.Http.Tests.ParserHarness;

namespace ActorGunicorn.Http.Tests;

public sealed class BodyDecoderTests
{
    private static HttpRequestHead ChunkedHead() => Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").Head;

    [Theory]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5 ;ext\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5\t; a=\"b c\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("0005\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n", "01234567890123456789")]
    public void Chunk_sizes_follow_RFC_9112(string body, string payload)
    {
        var (status, data, consumed, _) = Decode(ChunkedHead(), body + "NEXT");
        Assert.Equal(HttpBodyStatus.Complete, status);
        Assert.Equal(Bytes(payload), data);
        Assert.Equal(body.Length, consumed);
    }

    [Theory]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData(" 5\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("+5\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("80000000000000000\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5;a\rb\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkExtension)]
    [InlineData("5\r\nhelloX\r\n0\r\n\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("5\r\nhello\rX\r\n0\r\n\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("0\r\nTE: trailers\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("0\r\nAuthorization: x\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("0\r\nX: a\x01b\r\n\r\n", HttpRejectionReason.InvalidHeader)]
    public void Broken_chunked_framing_is_refused(string body, HttpRejectionReason reason)
    {
        var (status, _, _, rejection) = Decode(ChunkedHead(), body);
        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal(reason, rejection!.Reason);
        Assert.Equal(400, rejection.StatusCode);
    }

    [Fact]
    public void Invalid_chunk_size_detail_is_gunicorns()
    {
        Assert.Equal("Invalid chunk size: b'6_0'", Decode(ChunkedHead(), "6_0\r\n").Rejection!.Detail);
    }

    [Fact]
    public void A_chunk_size_line_longer_than_the_cap_is_refused_before_its_end_arrives()
    {
        Assert.Equal(HttpBodyStatus.NeedMoreData, Decode(ChunkedHead(), "5;" + new string('x', HttpBodyDecoder.MaxChunkSizeLineLength - 2)).Status);
        var (status, _, _, rejection) = Decode(ChunkedHead(), "5;" + new string('x', HttpBodyDecoder.MaxChunkSizeLineLength - 1));
        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal(HttpRejectionReason.InvalidChunkExtension, rejection!.Reason);
    }

    [Fact]
    public void Trailers_are_parsed_into_the_head()
    {
        HttpRequestHead head = ChunkedHead();
        var (status, data, _, _) = Decode(head, "3\r\nabc\r\n0\r\nX-Checksum: 42\r\nX_Dropped: 1\r\n\r\n");
        Assert.Equal(HttpBodyStatus.Complete, status);
        Assert.Equal("abc"u8.ToArray(), data);
        Assert.Equal(1, head.Trailers.Count);
        Assert.Equal(("X-Checksum", "42"), (head.Trailers.GetName(0), head.Trailers.GetValue(0)));
    }

    [Theory]
    [InlineData("5\r\nhel", HttpRejectionReason.NoMoreData)]
    [InlineData("5", HttpRejectionReason.NoMoreData)]
    [InlineData("5\r\nhello", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("5\r\nhello\r", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("0\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("0\r\nX: 1\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    public void End_of_input_inside_a_chunked_body_gives_gunicorns_error(string body, HttpRejectionReason reason)
    {
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        decoder.Reset(ChunkedHead());
        var buffer = new ReadOnlySequence<byte>(Bytes(body));
        while (decoder.Decode(buffer, out _, out SequencePosition consumed, out _, out _) == HttpBodyStatus.Data)
        {
            buffer = buffer.Slice(consumed);
        }

        Assert.Equal(reason, decoder.OnEndOfInput()!.Reason);
    }

    [Fact]
    public void End_of_input_inside_a_content_length_body_ends_it_short_as_gunicorn_does()
    {
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        decoder.Reset(Parse("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n").Head);
        Assert.Equal(HttpBodyStatus.Data, decoder.Decode(new ReadOnlySequence<byte>("abc"u8.ToArray()), out _, out _, out _, out _));
        Assert.Null(decoder.OnEndOfInput());
        Assert.True(decoder.IsComplete);
        Assert.True(decoder.IsTruncated);
    }

    [Fact]
    public void Incomplete_framing_consumes_nothing_but_complete_framing_is_consumed()
    {
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        decoder.Reset(ChunkedHead());
        var buffer = new ReadOnlySequence<byte>("5\r\nhello\r\n1"u8.ToArray());
        Assert.Equal(HttpBodyStatus.Data, decoder.Decode(buffer, out ReadOnlySequence<byte> payload, out SequencePosition consumed, out _, out _));
        Assert.Equal("hello"u8.ToArray(), payload.ToArray());
        buffer = buffer.Slice(consumed);
        Assert.Equal(HttpBodyStatus.NeedMoreData, decoder.Decode(buffer, out _, out consumed, out SequencePosition examined, out _));
        Assert.Equal("1"u8.ToArray(), buffer.Slice(consumed).ToArray());
        Assert.Equal(buffer.End, examined);
    }

    [Fact]
    public void The_payload_slice_can_be_capped()
    {
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default) { MaxPayloadSliceLength = 2 };
        decoder.Reset(Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").Head);
        var buffer = new ReadOnlySequence<byte>("hello"u8.ToArray());
        var sizes = new List<long>();
        while (decoder.Decode(buffer, out ReadOnlySequence<byte> payload, out SequencePosition consumed, out _, out _) == HttpBodyStatus.Data)
        {
            sizes.Add(payload.Length);
            buffer = buffer.Slice(consumed);
        }

        Assert.Equal([2L, 2L, 1L], sizes);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.MaxPayloadSliceLength = 0);
    }

    [Fact]
    public void A_request_without_framing_has_an_empty_body()
    {
        var (status, data, consumed, _) = Decode(Parse("GET / HTTP/1.1\r\n\r\n").Head, "GET /next HTTP/1.1\r\n\r\n");
        Assert.Equal((HttpBodyStatus.Complete, 0, 0L), (status, data.Length, consumed));
    }
}
