using System.Buffers;
using System.Text;
using Xunit;

namespace ActorGunicorn.Http.Tests;

public sealed class ResponseTests
{
    private static readonly byte[] Date = Encoding.ASCII.GetBytes("Sun, 06 Nov 1994 08:49:37 GMT");

    [Theory]
    [InlineData(true, false, 200, 5L, HttpResponseBodyFraming.ContentLength, 5L, true)]
    [InlineData(true, false, 200, null, HttpResponseBodyFraming.Chunked, null, true)]
    [InlineData(false, false, 200, null, HttpResponseBodyFraming.CloseDelimited, null, false)]
    [InlineData(false, false, 200, 5L, HttpResponseBodyFraming.ContentLength, 5L, true)]
    [InlineData(true, true, 200, null, HttpResponseBodyFraming.NoBody, null, true)]
    [InlineData(true, true, 200, 5L, HttpResponseBodyFraming.NoBody, 5L, true)]
    [InlineData(false, true, 200, null, HttpResponseBodyFraming.NoBody, null, true)]
    [InlineData(true, false, 204, 5L, HttpResponseBodyFraming.NoBody, null, true)]
    [InlineData(true, false, 304, 5L, HttpResponseBodyFraming.NoBody, 5L, true)]
    [InlineData(true, false, 304, null, HttpResponseBodyFraming.NoBody, null, true)]
    [InlineData(true, false, 101, 5L, HttpResponseBodyFraming.NoBody, null, true)]
    [InlineData(false, false, 204, null, HttpResponseBodyFraming.NoBody, null, true)]
    public void Framing_follows_gunicorns_response_rules(bool http11, bool head, int status, long? length, HttpResponseBodyFraming framing, long? sentLength, bool keepAlive)
    {
        HttpResponseFramingDecision decision = HttpResponseFraming.Decide(http11, head, status, length, requestKeepAlive: true, serverWantsClose: false);
        Assert.Equal(new HttpResponseFramingDecision(framing, sentLength, keepAlive), decision);
    }

    [Theory]
    [InlineData(true, 200, true)]
    [InlineData(false, 100, true)]
    [InlineData(false, 199, true)]
    [InlineData(false, 204, true)]
    [InlineData(false, 304, true)]
    [InlineData(false, 200, false)]
    [InlineData(false, 205, false)]
    [InlineData(false, 302, false)]
    [InlineData(false, 404, false)]
    public void Head_1xx_204_and_304_responses_omit_the_body(bool head, int status, bool omits)
    {
        Assert.Equal(omits, HttpResponseFraming.OmitsBody(head, status));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void The_request_or_the_server_can_close_the_connection(bool requestKeepAlive, bool serverWantsClose)
    {
        Assert.False(HttpResponseFraming.Decide(true, false, 200, 5, requestKeepAlive, serverWantsClose).KeepAlive);
    }

    [Fact]
    public void The_head_is_written_byte_for_byte()
    {
        var output = new ArrayBufferWriter<byte>();
        HttpResponseHeader[] headers =
        [
            new("Content-Type", " text/plain\t"),
            new("Connection", "keep-alive"),
            new("Transfer-Encoding", "gzip"),
            new("Server", "evil"),
            new("Date", "yesterday"),
            new("Keep-Alive", "timeout=5"),
            new("Proxy-Authenticate", "x"),
            new("Proxy-Authorization", "x"),
            new("TE", "x"),
            new("Trailers", "x"),
            new("Upgrade", "h2c"),
            new("Content-Length", "5"),
            new("X-Multi", "a"),
            new("X-Multi", "b"),
        ];
        HttpResponseHeadError error = new HttpResponseHeadWriter().TryWrite(
            output, 200, null, headers, new HttpResponseContext(true, false, true, false), Date, out HttpResponseFramingDecision framing, out int index);

        Assert.Equal((HttpResponseHeadError.None, -1), (error, index));
        Assert.Equal(HttpResponseBodyFraming.ContentLength, framing.Framing);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nServer: gunicorn\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: keep-alive\r\n"
            + "Content-Type: text/plain\r\nX-Multi: a\r\nX-Multi: b\r\nContent-Length: 5\r\n\r\n",
            Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_chunked_close_or_upgrade_head_says_so()
    {
        var writer = new HttpResponseHeadWriter("ActorGunicorn");
        Assert.Equal(
            "HTTP/1.1 201 Made\r\nServer: ActorGunicorn\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
            Write(writer, 201, "Made", [], new HttpResponseContext(true, false, false, false)));
        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nServer: ActorGunicorn\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
            Write(writer, 101, null, [new("Connection", "Upgrade"), new("Upgrade", "websocket")], new HttpResponseContext(true, false, true, false)));
    }

    [Theory]
    [InlineData("Bad Name", "v", HttpResponseHeadError.InvalidHeaderName)]
    [InlineData("", "v", HttpResponseHeadError.InvalidHeaderName)]
    [InlineData("X", "a\r\nInjected: 1", HttpResponseHeadError.InvalidHeaderValue)]
    [InlineData("X", "a\nb", HttpResponseHeadError.InvalidHeaderValue)]
    [InlineData("X", "a\0b", HttpResponseHeadError.InvalidHeaderValue)]
    [InlineData("X", "a\x7fb", HttpResponseHeadError.InvalidHeaderValue)]
    [InlineData("X", "caf\u20ac", HttpResponseHeadError.InvalidHeaderValue)]
    [InlineData("Content-Length", "-1", HttpResponseHeadError.InvalidContentLength)]
    [InlineData("Content-Length", "1e3", HttpResponseHeadError.InvalidContentLength)]
    public void Invalid_headers_write_nothing(string name, string value, HttpResponseHeadError expected)
    {
        var output = new ArrayBufferWriter<byte>();
        HttpResponseHeadError error = new HttpResponseHeadWriter().TryWrite(
            output, 200, null, [new("Ok", "fine"), new(name, value)], default, Date, out _, out int index);
        Assert.Equal((expected, 1), (error, index));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Tabs_and_latin1_values_are_valid_but_bad_statuses_are_not()
    {
        var writer = new HttpResponseHeadWriter();
        Assert.Contains("X: a\tb \u00e9\r\n", Write(writer, 200, null, [new("X", "a\tb \u00e9")], default), StringComparison.Ordinal);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(HttpResponseHeadError.InvalidStatus, writer.TryWrite(output, 99, null, [], default, Date, out _, out _));
        Assert.Equal(HttpResponseHeadError.InvalidStatus, writer.TryWrite(output, 200, "O\r\nK", [], default, Date, out _, out _));
        Assert.Equal(HttpResponseHeadError.InvalidContentLength, writer.TryWrite(output, 200, null, [new("Content-Length", "1"), new("content-length", "2")], default, Date, out _, out _));
    }

    [Fact]
    public void Continue_is_a_bare_interim_response()
    {
        var output = new ArrayBufferWriter<byte>();
        HttpResponseHeadWriter.WriteContinue(output);
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Chunks_are_framed_in_upper_case_hex_and_empty_writes_emit_nothing()
    {
        var output = new ArrayBufferWriter<byte>();
        ChunkedEncoder.WriteChunk(output, new byte[26]);
        ChunkedEncoder.WriteChunk(output, []);
        ChunkedEncoder.WriteChunkHeader(output, 0xABCDEF0123L);
        ChunkedEncoder.WriteChunkTrailer(output);
        ChunkedEncoder.WriteLastChunk(output);
        Assert.Equal("1A\r\n" + new string('\0', 26) + "\r\nABCDEF0123\r\n\r\n0\r\n\r\n", Encoding.Latin1.GetString(output.WrittenSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkedEncoder.WriteChunkHeader(output, 0));
    }

    [Fact]
    public void The_error_response_is_gunicorns_page()
    {
        HttpRejection rejection = ParserHarness.Parse("GET HTTP/1.1\r\n\r\n").Rejection!;
        var output = new ArrayBufferWriter<byte>();
        HttpErrorResponse.Write(output, rejection);
        Assert.Equal(
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 205\r\n\r\n<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Invalid Request Line &#x27;Invalid HTTP request line: &#x27;GET HTTP/1.1&#x27;&#x27;\n  </body>\n</html>\n",
            Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Fact]
    public void The_431_page_and_the_details_read_like_gunicorns()
    {
        HttpRejection rejection = ParserHarness.Parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", new HttpParserOptions { LimitRequestFields = 1 }).Rejection!;
        var output = new ArrayBufferWriter<byte>();
        HttpErrorResponse.Write(output, rejection);
        Assert.Equal(
            "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 224\r\n\r\n<html>\n  <head>\n    <title>Request Header Fields Too Large</title>\n  </head>\n  <body>\n    <h1><p>Request Header Fields Too Large</p></h1>\n    Error parsing headers: &#x27;limit request headers fields&#x27;\n  </body>\n</html>\n",
            Encoding.Latin1.GetString(output.WrittenSpan));
        Assert.Equal("Invalid HTTP header name: 'ba\\x00z'", ParserHarness.Parse("GET / HTTP/1.1\r\nba\0z: 1\r\n\r\n").Rejection!.Detail);
        Assert.Equal("Invalid HTTP request line: \"it's\"", ParserHarness.Parse("it's\r\n").Rejection!.Detail);
        Assert.Throws<ArgumentException>(() => HttpErrorResponse.Write(output, new HttpRejection(HttpRejectionReason.NoMoreData, "gone")));
    }

    [Fact]
    public void The_date_is_formatted_once_per_second_of_the_given_clock()
    {
        var clock = new ManualClock(new DateTimeOffset(1994, 11, 6, 8, 49, 37, 250, TimeSpan.Zero));
        var date = new HttpDate(clock);
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Encoding.ASCII.GetString(date.GetBytes()));
        ReadOnlySpan<byte> first = date.GetBytes();
        clock.Now = clock.Now.AddMilliseconds(500);
        Assert.True(first == date.GetBytes()); // same array: not reformatted within the second
        clock.Now = clock.Now.AddSeconds(1);
        Assert.Equal("Sun, 06 Nov 1994 08:49:38 GMT", Encoding.ASCII.GetString(date.GetBytes()));
    }

    private static string Write(HttpResponseHeadWriter writer, int status, string? reason, HttpResponseHeader[] headers, HttpResponseContext context)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(HttpResponseHeadError.None, writer.TryWrite(output, status, reason, headers, context, Date, out _, out _));
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
