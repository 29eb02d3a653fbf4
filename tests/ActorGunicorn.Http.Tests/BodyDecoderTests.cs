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
    [InlineData("0000000000000000000000000000000000000005\r\nhello\r\n0000000000000000000000000\r\n\r\n", "hello")]
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
    [InlineData("5\r\nhello\n0\r\n\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("5\r\nhello\n\r\n0\r\n\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("3\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.ChunkMissingTerminator)]
    [InlineData("10000000000000000\r\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("0\r\nTE: trailers\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("0\r\nAuthorization: x\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("0\r\nX: a\x01b\r\n\r\n", HttpRejectionReason.InvalidHeader)]
    public void Broken_chunked_framing_is_refused(string body, HttpRejectionReason reason) => AssertRefused(body, reason);

    /// <summary>RFC 9112 7.1.1: BWS around ';' and '=', names are tokens, values tokens or quoted-strings (RFC 9110 5.6.4).</summary>
    [Theory]
    [InlineData("5;a")]
    [InlineData("5;a=b")]
    [InlineData("5;a=\"b\"")]
    [InlineData("5;a=\"\"")]
    [InlineData("5 \t; \ta \t= \t\"b\"")]
    [InlineData("5;a;b=c;d=\"e\"")]
    [InlineData("5;a ;b = c ;d")]
    [InlineData("5;!#$%&'*+-.^_`|~09azAZ=!#$%&'*+-.^_`|~09azAZ")]
    [InlineData("5;a=\"\\\"\\\\\"")]
    [InlineData("5;a=\"\t !#[]~\u0080\u00ff\"")]
    [InlineData("5;a=\"\\\t\\ \\~\\\u00ff\"")]
    public void Chunk_extensions_that_follow_the_grammar_are_ignored(string line)
    {
        var (status, data, _, rejection) = Decode(ChunkedHead(), line + "\r\nhello\r\n0\r\n\r\n");
        Assert.Null(rejection);
        Assert.Equal(HttpBodyStatus.Complete, status);
        Assert.Equal("hello"u8.ToArray(), data);
    }

    [Theory]
    [InlineData("5;")]
    [InlineData("5; ")]
    [InlineData("5;;a")]
    [InlineData("5;a;")]
    [InlineData("5;=b")]
    [InlineData("5;a=")]
    [InlineData("5;a= ")]
    [InlineData("5;a ")]
    [InlineData("5;a=b ")]
    [InlineData("5;a=\"b\" ")]
    [InlineData("5;a b")]
    [InlineData("5;a=b c")]
    [InlineData("5;a=b=c")]
    [InlineData("5;a@b")]
    [InlineData("5;a=\"b")]
    [InlineData("5;a=\"b\"c")]
    [InlineData("5;a=\"b\\")]
    [InlineData("5;\"a\"")]
    [InlineData("5;a\u0000")]
    [InlineData("5;a=\"\u0001\"")]
    [InlineData("5;a=\"\u007f\"")]
    [InlineData("5;a=\"\\\u0001\"")]
    [InlineData("5;a=b\u007f")]
    [InlineData("5;a\u00e9")]
    [InlineData("5;\na")]
    [InlineData("5;a\nb")]
    [InlineData("5;a=b\n")]
    [InlineData("5;a=\"\nb\"")]
    [InlineData("5;a=\"\rb\"")]
    public void Chunk_extensions_outside_the_grammar_are_refused(string line) =>
        AssertRefused(line + "\r\nhello\r\n0\r\n\r\n", HttpRejectionReason.InvalidChunkExtension);

    /// <summary>
    /// A chunk line is refused at the first byte the grammar cannot continue with, without waiting for a CRLF that
    /// may never come: a bare LF (which some front ends take for the line end), a bare CR, a byte no chunk line holds.
    /// </summary>
    [Theory]
    [InlineData("5\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5\nhello", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5\rhello", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("\n", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("0x", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5 x", HttpRejectionReason.InvalidChunkSize)]
    [InlineData("5;\n", HttpRejectionReason.InvalidChunkExtension)]
    [InlineData("5;a=b\nhello", HttpRejectionReason.InvalidChunkExtension)]
    [InlineData("5;a\rb", HttpRejectionReason.InvalidChunkExtension)]
    [InlineData("5;a=\"\u0000", HttpRejectionReason.InvalidChunkExtension)]
    [InlineData("5\r\nhello\r\n0;\n", HttpRejectionReason.InvalidChunkExtension)]
    public void A_broken_chunk_line_is_refused_as_soon_as_the_offending_byte_arrives(string body, HttpRejectionReason reason) =>
        AssertRefused(body, reason);

    [Fact]
    public void Chunk_extensions_of_more_than_16_KiB_in_one_body_are_refused()
    {
        // RFC 9112 7.1.1: a server ought to limit the total length of chunk extensions in a request. Each line here
        // holds 4,000 bytes of extension, far below the line limit; the fifth passes 16 KiB.
        string chunk = "1;" + new string('e', 3_998) + "\r\nx\r\n";
        Assert.Equal(HttpBodyStatus.Complete, Decode(ChunkedHead(), string.Concat(Enumerable.Repeat(chunk, 4)) + "0\r\n\r\n").Status);

        var (status, data, _, rejection) = Decode(ChunkedHead(), string.Concat(Enumerable.Repeat(chunk, 5)) + "0\r\n\r\n");

        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal(HttpRejectionReason.InvalidChunkExtension, rejection!.Reason);
        Assert.Equal("xxxx"u8.ToArray(), data);
    }

    [Fact]
    public void Invalid_chunk_size_detail_quotes_the_line_up_to_the_offending_byte()
    {
        // gunicorn quotes the whole size ("b'6_0'"), which only the line end shows; the engine refuses at the '_'.
        Assert.Equal("Invalid chunk size: b'6_'", Decode(ChunkedHead(), "6_0\r\n").Rejection!.Detail);
        Assert.Equal("Invalid chunk extension: bare LF in b'5;a\\n'", Decode(ChunkedHead(), "5;a\nb\r\n").Rejection!.Detail);
    }

    [Theory]
    [InlineData("0\r\n\n")]
    [InlineData("0\r\n\r")]
    [InlineData("0\r\n\rX: 1\r\n\r\n")]
    [InlineData("0\r\nX: 1\n")]
    [InlineData("0\r\nX: 1\r\n\n")]
    [InlineData("0\r\nX: 1\rY: 2\r\n\r\n")]
    [InlineData("0\r\nX: 1\r\nY\n: 2\r\n\r\n")]
    public void A_bare_CR_or_LF_in_the_trailer_section_is_refused_when_it_arrives(string body)
    {
        // RFC 9112 2.2 lets a recipient take a bare LF for a line end in the head; in a chunked body the line ends
        // frame the message, so only CRLF counts there.
        AssertRefused(body.EndsWith('\r') ? body + "X" : body, HttpRejectionReason.InvalidHeader);
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

    // The body, given at once, is refused for that reason with a 400.
    private static void AssertRefused(string body, HttpRejectionReason reason)
    {
        var (status, _, _, rejection) = Decode(ChunkedHead(), body);
        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal(reason, rejection!.Reason);
        Assert.Equal(400, rejection.StatusCode);
    }
}
