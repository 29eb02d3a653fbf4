using Xunit;
using static ActorGunicorn.Http.Tests.ParserHarness;

namespace ActorGunicorn.Http.Tests;

/// <summary>limit_request_body: refused with 413, before the application for a Content-Length, as chunks arrive otherwise.</summary>
public sealed class BodyLimitTests
{
    private static readonly HttpParserOptions Limited = new() { LimitRequestBody = 10 };

    [Fact]
    public void A_content_length_above_the_limit_is_refused_with_413_at_the_head()
    {
        var result = Parse("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", Limited);

        Assert.Equal(HttpParseStatus.Rejected, result.Status);
        Assert.Equal(HttpRejectionReason.LimitRequestBody, result.Rejection!.Reason);
        Assert.Equal(413, result.Rejection.StatusCode);
        Assert.Equal("Content Too Large", result.Rejection.ReasonPhrase);
    }

    [Fact]
    public void A_content_length_at_the_limit_is_accepted()
    {
        Assert.Equal(HttpParseStatus.Complete, Parse("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n", Limited).Status);
    }

    [Fact]
    public void Chunks_that_add_up_to_more_than_the_limit_are_refused_when_the_excess_chunk_is_announced()
    {
        var head = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", Limited).Head;

        // The first chunk (6 bytes) is delivered; the second announces 5 more, 11 in all.
        var (status, payload, _, rejection) = Decode(head, "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n", Limited);

        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal("abcdef", System.Text.Encoding.Latin1.GetString(payload));
        Assert.Equal(HttpRejectionReason.LimitRequestBody, rejection!.Reason);
        Assert.Equal(413, rejection.StatusCode);
    }

    [Fact]
    public void Chunks_within_the_limit_are_decoded()
    {
        var head = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", Limited).Head;

        var (status, payload, _, _) = Decode(head, "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n", Limited);

        Assert.Equal(HttpBodyStatus.Complete, status);
        Assert.Equal("abcdefghij", System.Text.Encoding.Latin1.GetString(payload));
    }

    [Fact]
    public void Huge_chunk_sizes_cannot_wrap_the_running_total_below_the_limit()
    {
        var options = new HttpParserOptions { LimitRequestBody = 1L << 40 };
        var head = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", options).Head;

        // Two chunks of 2^62 - 1 bytes each would overflow a plain sum; the first alone is over the limit.
        var (status, _, _, rejection) = Decode(head, "3FFFFFFFFFFFFFFF\r\n", options);

        Assert.Equal(HttpBodyStatus.Rejected, status);
        Assert.Equal(HttpRejectionReason.LimitRequestBody, rejection!.Reason);
    }

    [Fact]
    public void Zero_means_no_limit_as_in_gunicorn()
    {
        Assert.Equal(HttpParseStatus.Complete, Parse("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n").Status);
    }
}
