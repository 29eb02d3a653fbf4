using System.Buffers;
using Xunit;
using static ActorGunicorn.Http.Tests.ParserHarness;

namespace ActorGunicorn.Http.Tests;

public sealed class RequestParserTests
{
    [Theory]
    [InlineData(20, null)]
    [InlineData(19, HttpRejectionReason.LimitRequestLine)]
    public void The_request_line_may_be_exactly_the_limit_long(int limit, HttpRejectionReason? expected)
    {
        const string request = "GET /012345 HTTP/1.1\r\n\r\n"; // the line is 20 bytes before its CRLF
        Assert.Equal(expected, RejectionOf(request, new HttpParserOptions { LimitRequestLine = limit }));
    }

    [Theory]
    [InlineData(22, HttpParseStatus.Incomplete)]
    [InlineData(23, HttpParseStatus.Rejected)]
    public void A_request_line_without_CRLF_fails_once_its_length_minus_2_exceeds_the_limit(int length, HttpParseStatus expected)
    {
        var options = new HttpParserOptions { LimitRequestLine = 20 };
        HeadResult result = Parse("GET /" + new string('a', length - 5), options);
        Assert.Equal(expected, result.Status);
        Assert.Equal(0, result.Consumed);
        if (expected == HttpParseStatus.Rejected)
        {
            Assert.Equal(HttpRejectionReason.LimitRequestLine, result.Rejection!.Reason);
            Assert.Equal("Request Line is too large (23 > 20)", result.Rejection.Detail);
        }
    }

    [Fact]
    public void Limits_are_normalised_like_gunicorn()
    {
        Assert.Equal(8190, new HttpParserOptions { LimitRequestLine = 9000 }.LimitRequestLine);
        Assert.Equal(8190, new HttpParserOptions { LimitRequestLine = -1 }.LimitRequestLine);
        Assert.Equal(0, new HttpParserOptions { LimitRequestLine = 0 }.LimitRequestLine);
        Assert.Equal(32768, new HttpParserOptions { LimitRequestFields = 0 }.LimitRequestFields);
        Assert.Equal(32768, new HttpParserOptions { LimitRequestFields = 40000 }.LimitRequestFields);
        Assert.Equal(8190, new HttpParserOptions { LimitRequestFieldSize = 0 }.LimitRequestFieldSize);
        Assert.Equal(4094, HttpParserOptions.Default.LimitRequestLine);
        Assert.Equal(100, HttpParserOptions.Default.LimitRequestFields);
        Assert.Equal(100L * 8192 + 4, HttpParserOptions.Default.MaxHeaderSectionBytes);
    }

    [Fact]
    public void Zero_means_no_request_line_limit()
    {
        HeadResult result = Parse("GET /" + new string('a', 20000) + " HTTP/1.1\r\n\r\n", new HttpParserOptions { LimitRequestLine = 0 });
        Assert.Equal(HttpParseStatus.Complete, result.Status);
    }

    [Theory]
    [InlineData(10, null)]
    [InlineData(9, HttpRejectionReason.LimitRequestHeaders)]
    public void A_field_may_be_exactly_the_field_size_including_its_CRLF(int limit, HttpRejectionReason? expected)
    {
        const string request = "GET / HTTP/1.1\r\nA: 12345\r\n\r\n"; // "A: 12345\r\n" is 10 bytes
        Assert.Equal(expected, RejectionOf(request, new HttpParserOptions { LimitRequestFieldSize = limit }));
    }

    [Fact]
    public void The_field_count_may_reach_the_limit_but_not_pass_it()
    {
        var options = new HttpParserOptions { LimitRequestFields = 3 };
        Assert.Null(RejectionOf("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", options));
        HeadResult over = Parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", options);
        Assert.Equal(HttpRejectionReason.LimitRequestHeaders, over.Rejection!.Reason);
        Assert.Equal(431, over.Rejection.StatusCode);
    }

    [Fact]
    public void Dropped_underscore_headers_still_count_against_the_field_limit()
    {
        var options = new HttpParserOptions { LimitRequestFields = 2 };
        Assert.Equal(HttpRejectionReason.LimitRequestHeaders, RejectionOf("GET / HTTP/1.1\r\nA_1: 1\r\nB_2: 2\r\nC: 3\r\n\r\n", options));
    }

    [Fact]
    public void An_unterminated_header_section_fails_once_it_exceeds_the_buffer_bound()
    {
        var options = new HttpParserOptions { LimitRequestFields = 1, LimitRequestFieldSize = 10 }; // bound: 1 * 12 + 4 = 16
        Assert.Equal(HttpParseStatus.Incomplete, Parse("GET / HTTP/1.1\r\n" + new string('a', 16), options).Status);
        Assert.Equal(HttpRejectionReason.LimitRequestHeaders, RejectionOf("GET / HTTP/1.1\r\n" + new string('a', 17), options));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nConnection: CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: upgrade\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nConnection: upgrade\r\nConnection: close\r\n\r\n", true)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive\r\n\r\n", false)]
    public void Keep_alive_follows_gunicorns_should_close(string request, bool keepAlive)
    {
        HeadResult result = Parse(request);
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(keepAlive, result.Head.KeepAlive);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_after_the_other()
    {
        byte[] data = Bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\n\r\n");
        var parser = new HttpRequestParser(HttpParserOptions.Default);
        var head = new HttpRequestHead();
        var decoder = new HttpBodyDecoder(HttpParserOptions.Default);
        var buffer = new ReadOnlySequence<byte>(data);
        var seen = new List<string>();
        while (!buffer.IsEmpty)
        {
            Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(buffer, head, out SequencePosition consumed, out _, out _));
            buffer = buffer.Slice(consumed);
            decoder.Reset(head);
            string body = "";
            HttpBodyStatus status;
            while ((status = decoder.Decode(buffer, out ReadOnlySequence<byte> payload, out consumed, out _, out _)) == HttpBodyStatus.Data)
            {
                body += System.Text.Encoding.Latin1.GetString(payload.ToArray());
                buffer = buffer.Slice(consumed);
            }

            Assert.Equal(HttpBodyStatus.Complete, status);
            buffer = buffer.Slice(consumed);
            seen.Add(head.Method + " " + head.Path + " " + body);
        }

        Assert.Equal(["GET /a ", "POST /b hi", "GET /c "], seen);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", false)]
    public void Expect_100_continue_is_flagged_on_HTTP_11_only(string request, bool expects)
    {
        HeadResult result = Parse(request);
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(expects, result.Head.ExpectsContinue);
    }

    [Fact]
    public void Any_other_expectation_fails_with_417()
    {
        HeadResult result = Parse("GET / HTTP/1.0\r\nExpect: something\r\n\r\n");
        Assert.Equal(HttpRejectionReason.ExpectationFailed, result.Rejection!.Reason);
        Assert.Equal(417, result.Rejection.StatusCode);
        Assert.Equal("Unable to comply with expectation: 'something'", result.Rejection.Detail);
    }

    [Theory]
    [InlineData("\r\nGET / HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)] // gunicorn skips no empty line
    [InlineData("GET  / HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)]
    [InlineData("GET / HTTP/1.1 \r\n\r\n", HttpRejectionReason.InvalidHTTPVersion)]
    [InlineData("GET /a\tb HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)]
    [InlineData("GET http://[::1/ HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)]
    [InlineData("GET http://[127.0.0.1]/ HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)]
    [InlineData("CONNECT * HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestLine)]
    [InlineData("get / HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestMethod)]
    [InlineData("GE / HTTP/1.1\r\n\r\n", HttpRejectionReason.InvalidRequestMethod)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", HttpRejectionReason.InvalidHeader)]
    [InlineData("GET / HTTP/1.1\r\n: novalue\r\n\r\n", HttpRejectionReason.InvalidHeader)]
    [InlineData("GET / HTTP/1.1\r\nNoColon\r\n\r\n", HttpRejectionReason.InvalidHeader)]
    [InlineData("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    [InlineData("GET / HTTP/1.1\r\n Folded: x\r\n\r\n", HttpRejectionReason.InvalidHeaderName)]
    public void Malformed_heads_are_refused_with_gunicorns_class(string request, HttpRejectionReason reason)
    {
        Assert.Equal(reason, RejectionOf(request));
    }

    [Theory]
    [InlineData("/p?q#f", "/p", "q", "f")]
    [InlineData("//p?q", "//p", "q", "")]
    [InlineData("http://h:1/p?q", "/p", "q", "")]
    [InlineData("http://h", "", "", "")]
    [InlineData("http://[v1.x]/p", "/p", "", "")]
    [InlineData("http://[fe80::1%25eth0]/p", "/p", "", "")]
    [InlineData("/a#b?c", "/a", "", "b?c")]
    public void Targets_split_like_gunicorns_split_request_uri(string target, string path, string query, string fragment)
    {
        HeadResult result = Parse("GET " + target + " HTTP/1.1\r\n\r\n");
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal((target, path, query, fragment), (result.Head.RawTarget, result.Head.Path, result.Head.Query, result.Head.Fragment));
    }

    [Fact]
    public void Unconventional_versions_need_the_flag()
    {
        Assert.Equal(HttpRejectionReason.InvalidHTTPVersion, RejectionOf("GET / HTTP/2.0\r\n\r\n"));
        Assert.Equal("Invalid HTTP Version: (2, 0)", Parse("GET / HTTP/2.0\r\n\r\n").Rejection!.Detail);
        HeadResult result = Parse("GET / HTTP/0.9\r\n\r\n", new HttpParserOptions { PermitUnconventionalHttpVersion = true });
        Assert.Equal((0, 9, false), (result.Head.VersionMajor, result.Head.VersionMinor, result.Head.KeepAlive));
    }

    [Theory]
    [InlineData(false, "X-Forwarded-Proto: https", "http")]
    [InlineData(true, "X-Forwarded-Proto: https", "https")]
    [InlineData(true, "X-Forwarded-Proto: http", "http")]
    [InlineData(true, "X-Forwarded-Proto: https\r\nX-Forwarded-Ssl: on", "https")]
    public void Secure_scheme_headers_count_only_from_a_trusted_peer(bool trusted, string headers, string scheme)
    {
        HeadResult result = Parse("GET / HTTP/1.1\r\n" + headers + "\r\n\r\n", trusted: trusted);
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(scheme, result.Head.Scheme);
    }

    [Fact]
    public void Contradictory_scheme_headers_from_a_trusted_peer_are_refused_and_ignored_otherwise()
    {
        const string request = "GET / HTTP/1.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Ssl: off\r\n\r\n";
        Assert.Equal(HttpRejectionReason.InvalidSchemeHeaders, RejectionOf(request, trusted: true));
        Assert.Null(RejectionOf(request, trusted: false));
        Assert.Equal("https", Parse("GET / HTTP/1.1\r\n\r\n", scheme: "https").Head.Scheme);
    }

    [Theory]
    [InlineData(false, HeaderMapPolicy.Drop, 1)]
    [InlineData(true, HeaderMapPolicy.Drop, 2)]
    [InlineData(false, HeaderMapPolicy.Dangerous, 2)]
    public void Underscore_headers_follow_the_header_map_unless_a_trusted_forwarder_sets_them(bool trusted, HeaderMapPolicy map, int kept)
    {
        HeadResult result = Parse("GET / HTTP/1.1\r\nHost: x\r\nScript_Name: /app\r\n\r\n", new HttpParserOptions { HeaderMap = map }, trusted);
        Assert.Equal(kept, result.Head.Headers.Count);
        Assert.Equal(HttpRejectionReason.InvalidHeaderName, RejectionOf("GET / HTTP/1.1\r\nX_Y: 1\r\n\r\n", new HttpParserOptions { HeaderMap = HeaderMapPolicy.Refuse }, trusted));
    }

    [Fact]
    public void Headers_keep_order_duplicates_and_received_case_and_look_up_case_insensitively()
    {
        HttpRequestHead head = Parse("GET / HTTP/1.1\r\nX-A: 1\r\nx-b:\t2 \r\nX-A: 3\r\n\r\n").Head;
        Assert.Equal(3, head.Headers.Count);
        Assert.Equal("x-b", head.Headers.GetName(1));
        Assert.Equal("2", head.Headers.GetValue(1));
        Assert.Equal(0, head.Headers.IndexOf("x-a"));
        Assert.Equal(2, head.Headers.IndexOf("X-A"u8, 1));
        Assert.Equal("3", head.Headers[2].Value);
        Assert.Null(head.Headers.GetFirstValue("missing"));
        Assert.Same(head.Headers.GetValue(0), head.Headers.GetValue(0));
    }

    [Fact]
    public void Well_known_methods_come_from_a_cache_and_casefolding_upper_cases_in_place()
    {
        Assert.Same(Parse("GET / HTTP/1.1\r\n\r\n").Head.Method, Parse("GET /x HTTP/1.1\r\n\r\n").Head.Method);
        var casefold = new HttpParserOptions { PermitUnconventionalHttpMethod = true, CasefoldHttpMethod = true };
        HttpRequestHead head = Parse("options * HTTP/1.1\r\n\r\n", casefold).Head;
        Assert.Equal("OPTIONS", head.Method);
        Assert.Equal("*", head.Path);
    }

    [Fact]
    public void The_head_stays_valid_after_the_input_buffer_is_reused()
    {
        byte[] data = Bytes("GET /stable HTTP/1.1\r\nHost: example\r\n\r\n");
        var head = new HttpRequestHead();
        new HttpRequestParser(HttpParserOptions.Default).TryParseHead(new ReadOnlySequence<byte>(data), head, out _, out _, out _);
        Array.Clear(data);
        Assert.Equal("/stable", head.Path);
        Assert.Equal("example", head.Headers.GetValue(0));
    }

    [Fact]
    public void Obsolete_folding_when_permitted_joins_lines_and_counts_them_against_the_field_size()
    {
        var fold = new HttpParserOptions { PermitObsoleteFolding = true };
        HttpRequestHead head = Parse("GET / HTTP/1.1\r\nLong: one\r\n  two \r\n\tthree\r\nHost: h\r\n\r\n", fold).Head;
        Assert.Equal("one two three", head.Headers.GetValue(0));
        Assert.Equal("h", head.Headers.GetValue(1));
        Assert.Equal(HttpRejectionReason.ObsoleteFolding, RejectionOf("GET / HTTP/1.1\r\nLong: one\r\n two\r\n\r\n"));
    }
}
