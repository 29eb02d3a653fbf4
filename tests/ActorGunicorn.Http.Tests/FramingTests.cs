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
    /// answer 400 and close. gunicorn 26 accepts these (with an empty body, or the Content-Length's) and only closes
    /// afterwards; the application then saw a compressed upload as an empty body.
    /// </summary>
    [Theory]
    [InlineData("Transfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: deflate")]
    [InlineData("Transfer-Encoding: compress")]
    [InlineData("Transfer-Encoding: GZIP")]
    [InlineData("Transfer-Encoding: gzip\r\nContent-Length: 5")]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: identity, gzip")]
    [InlineData("Transfer-Encoding: gzip, identity")]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: identity")]
    [InlineData("Transfer-Encoding: gzip, deflate")]
    public void A_request_whose_final_transfer_coding_is_not_chunked_is_refused_with_400(string fields)
    {
        HttpRejection rejection = Parse("POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n\r\nhello").Rejection!;

        Assert.Equal(HttpRejectionReason.InvalidHeader, rejection.Reason);
        Assert.Equal("Invalid HTTP Header: 'TRANSFER-ENCODING'", rejection.Detail);
        Assert.Equal(400, rejection.StatusCode);
        Assert.True(rejection.ClosesConnection);
    }

    /// <summary>
    /// RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as faulty framing, even with a
    /// Content-Length. gunicorn refuses only chunked there.
    /// </summary>
    [Theory]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: identity")]
    [InlineData("Transfer-Encoding: identity\r\nContent-Length: 5")]
    [InlineData("Transfer-Encoding: gzip, chunked")]
    [InlineData("Transfer-Encoding: gzip\r\nContent-Length: 5")]
    public void Transfer_encoding_on_HTTP_10_is_refused_with_400(string fields)
    {
        HttpRejection rejection = Parse("POST / HTTP/1.0\r\nHost: a\r\n" + fields + "\r\n\r\nhello").Rejection!;

        Assert.Equal(HttpRejectionReason.InvalidHeader, rejection.Reason);
        Assert.Equal("Invalid HTTP Header: 'TRANSFER-ENCODING'", rejection.Detail);
        Assert.Equal(400, rejection.StatusCode);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: CHUNKED", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding:\tchunked", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: chunked \t", HttpBodyFraming.Chunked, 0L, false)]
    [InlineData("Transfer-Encoding: gzip , chunked", HttpBodyFraming.Chunked, 0L, true)]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", HttpBodyFraming.Chunked, 0L, true)]
    [InlineData("Transfer-Encoding: identity\r\nContent-Length: 5", HttpBodyFraming.ContentLength, 5L, false)]
    [InlineData("Transfer-Encoding: identity", HttpBodyFraming.None, 0L, false)]
    [InlineData("Content-Length:  5 \t", HttpBodyFraming.ContentLength, 5L, false)]
    [InlineData("Content-Length: 00000000000000000000000005", HttpBodyFraming.ContentLength, 5L, false)]
    public void Framing_that_has_a_single_reading_is_accepted(string fields, HttpBodyFraming framing, long length, bool mustClose)
    {
        // Transfer-Encoding: identity is no coding at all (RFC 2616's meaning, which gunicorn and its corpus keep:
        // valid/009), so it neither frames a body nor counts as a final coding other than chunked.
        HeadResult result = Parse("POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal((framing, length, mustClose), (result.Head.BodyFraming, result.Head.ContentLength, result.Head.MustClose));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: identity, chunked\r\nContent-Length: 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5\r\nContent-Length: 6", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5, 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: +5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: -5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5 5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 0x5", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5.0", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: 5_0", HttpRejectionReason.InvalidHeader)]
    [InlineData("Content-Length: \u00b2", HttpRejectionReason.InvalidHeader)] // latin-1 superscript two: str.isnumeric() but not int()
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked, identity", HttpRejectionReason.InvalidHeader)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: x", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: x\r\nTransfer-Encoding: chunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: xchunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked;q=1", HttpRejectionReason.UnsupportedTransferCoding)] // RFC 9112 7.1: chunked has no parameters
    [InlineData("Transfer-Encoding: \"chunked\"", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: \u00a0chunked\u0085", HttpRejectionReason.UnsupportedTransferCoding)] // gunicorn #3364: only SP/HTAB are stripped
    [InlineData("Transfer-Encoding: ,chunked", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: chunked, , gzip", HttpRejectionReason.UnsupportedTransferCoding)]
    [InlineData("Transfer-Encoding: \u000bchunked", HttpRejectionReason.InvalidHeader)] // a control in a field value
    [InlineData("Transfer-Encoding : chunked", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("Transfer-Encoding:\r\n chunked", HttpRejectionReason.ObsoleteFolding)]
    public void Ambiguous_or_unknown_framing_is_refused_with_gunicorns_class(string fields, HttpRejectionReason reason)
    {
        // Empty list elements are refused rather than skipped (RFC 9110 5.6.1.2 would skip them): for the field that
        // frames the body, a refusal cannot leave this server and a front end disagreeing about where it ends.
        Assert.Equal(reason, RejectionOf("POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n\r\n"));
    }
}
