using Xunit;
using static ActorGunicorn.Http.Tests.ParserHarness;

namespace ActorGunicorn.Http.Tests;

/// <summary>
/// How a request head frames its body (RFC 9112 6): every combination of Transfer-Encoding and Content-Length either
/// frames the body one way only, or is refused and the connection closed.
/// </summary>
public sealed class FramingTests
{
    /// <summary>
    /// RFC 9112 6.3: a request whose final transfer coding is not chunked cannot be delimited, and the server MUST
    /// answer 400 and close; 6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as faulty framing, even
    /// with a Content-Length. gunicorn 26 accepts all but chunked on HTTP/1.0 (with an empty body, or the
    /// Content-Length's) and only closes afterwards: the application saw a compressed upload as an empty body.
    /// </summary>
    [Theory]
    [InlineData("1.1", "Transfer-Encoding: gzip")]
    [InlineData("1.1", "Transfer-Encoding: deflate")]
    [InlineData("1.1", "Transfer-Encoding: compress")]
    [InlineData("1.1", "Transfer-Encoding: GZIP")]
    [InlineData("1.1", "Transfer-Encoding: gzip\r\nContent-Length: 5")]
    [InlineData("1.1", "Content-Length: 5\r\nTransfer-Encoding: gzip")]
    [InlineData("1.1", "Transfer-Encoding: identity, gzip")]
    [InlineData("1.1", "Transfer-Encoding: gzip, identity")]
    [InlineData("1.1", "Transfer-Encoding: gzip\r\nTransfer-Encoding: identity")]
    [InlineData("1.1", "Transfer-Encoding: gzip, deflate")]
    [InlineData("1.0", "Transfer-Encoding: chunked")]
    [InlineData("1.0", "Transfer-Encoding: identity")]
    [InlineData("1.0", "Transfer-Encoding: identity\r\nContent-Length: 5")]
    [InlineData("1.0", "Transfer-Encoding: gzip, chunked")]
    [InlineData("1.0", "Transfer-Encoding: gzip\r\nContent-Length: 5")]
    public void Transfer_codings_that_cannot_frame_the_request_are_refused_with_400(string version, string fields)
    {
        HttpRejection rejection = Parse($"POST / HTTP/{version}\r\nHost: a\r\n{fields}\r\n\r\nhello").Rejection!;

        Assert.Equal(HttpRejectionReason.InvalidHeader, rejection.Reason);
        Assert.Equal("Invalid HTTP Header: 'TRANSFER-ENCODING'", rejection.Detail);
        Assert.Equal(400, rejection.StatusCode);
        Assert.True(rejection.ClosesConnection);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: CHUNKED", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding:\tchunked", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: chunked \t", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: identity, chunked", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: gzip , chunked", HttpBodyFraming.Chunked, 0L, true)]
    [InlineData("Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked", HttpBodyFraming.Chunked, 0L, true)]
    [InlineData("Transfer-Encoding: identity\r\nContent-Length: 5", HttpBodyFraming.ContentLength, 5L, false)]
    [InlineData("Transfer-Encoding: identity", HttpBodyFraming.None, 0L, false)]
    [InlineData("Content-Length: 0042", HttpBodyFraming.ContentLength, 42L, false)]
    [InlineData("Content-Length:  5 \t", HttpBodyFraming.ContentLength, 5L, false)]
    [InlineData("Content-Length: 00000000000000000000000005", HttpBodyFraming.ContentLength, 5L, false)]
    [InlineData("Host: x", HttpBodyFraming.None, 0L, false)]
    public void Framing_that_has_a_single_reading_is_accepted_and_exposed(string fields, HttpBodyFraming framing, long length, bool mustClose)
    {
        // Transfer-Encoding: identity is no coding at all (RFC 2616's meaning, which gunicorn and its corpus keep:
        // valid/009), so it neither frames a body nor counts as a final coding other than chunked.
        HeadResult result = Parse("POST / HTTP/1.1\r\n" + fields + "\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal((framing, length, mustClose), (result.Head.BodyFraming, result.Head.ContentLength, result.Head.MustClose));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: identity, chunked\r\nContent-Length: 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 1\r\nContent-Length: 1", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5\r\nContent-Length: 6", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5, 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: +5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: -5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 0x5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5.0", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5_0", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: \u00b2", HttpRejectionReason.InvalidHeader)] // latin-1 superscript two: str.isnumeric() but not int()
    [InlineData("Content-Length: 99999999999999999999", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length:", HttpRejectionReason.InvalidHeader)]
    [InlineData("Host: a\r\nHost: b", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked, chunked", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked, identity", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: br", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: x", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: x\r\nTransfer-Encoding: chunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: xchunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked;q=1", HttpRejectionReason.UnsupportedTransferCoding)] // RFC 9112 7.1: chunked has no parameters
    [InlineData("Transfer-Encoding: \"chunked\"", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: \u00a0chunked\u0085", HttpRejectionReason.UnsupportedTransferCoding)] // gunicorn #3364: only SP/HTAB are stripped
    [InlineData("Transfer-Encoding: ", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked,", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: ,chunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked, , gzip", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: \u000bchunked", HttpRejectionReason.InvalidHeader)] // a control in a field value
    [InlineData("Transfer-Encoding : chunked", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("Transfer-Encoding:\r\n chunked", HttpRejectionReason.ObsoleteFolding)]
    public void Ambiguous_or_unknown_framing_is_refused_with_gunicorns_class(string fields, HttpRejectionReason reason)
    {
        // Empty list elements are refused rather than skipped (RFC 9110 5.6.1.2 would skip them): for the field that
        // frames the body, a refusal cannot leave this server and a front end disagreeing about where it ends.
        Assert.Equal(reason, RejectionOf("POST / HTTP/1.1\r\n" + fields + "\r\n\r\n"));
    }

    [Fact]
    public void Unsupported_transfer_coding_is_501()
    {
        HttpRejection rejection = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: br\r\n\r\n").Rejection!;
        Assert.Equal(501, rejection.StatusCode);
        Assert.Equal("Not Implemented", rejection.ReasonPhrase);
    }
}
