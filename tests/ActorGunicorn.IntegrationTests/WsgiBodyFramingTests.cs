using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// A request body whose framing is broken, seen from both ends: the WSGI application's read of wsgi.input says what is
/// wrong with the body (not that the client went away), and the client gets a 400 and a closed connection whatever
/// the application does next.
/// </summary>
public sealed class WsgiBodyFramingTests(ProbeFixture probe) : IClassFixture<ProbeFixture>, IDisposable
{
    private const string Head = "Host: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";

    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = probe.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(probe.Server, _linesBefore);

    [Theory]
    [InlineData("respond", "zz\r\nworld\r\n0\r\n\r\n", "InvalidChunkSize: Invalid chunk size: b'z'")]
    [InlineData("raise", "yy\r\nworld\r\n0\r\n\r\n", "InvalidChunkSize: Invalid chunk size: b'y'")]
    [InlineData("respond", "5;\nworld\r\n0\r\n\r\n", "InvalidChunkExtension: Invalid chunk extension: bare LF in b'5;\\n'")]
    [InlineData("respond", "5\r\nworld\rX0\r\n\r\n", "ChunkMissingTerminator: Invalid chunk terminator is not '\\r\\n': b'\\rX'")]
    public async Task A_broken_chunked_body_raises_InvalidBodyFraming_naming_it_in_the_application_and_the_client_gets_400_and_a_close(
        string then, string rest, string expected)
    {
        // Even an application that swallows the error and answers 200 does not get to answer.
        await RefusedAsync($"POST /input-error?then={then} HTTP/1.1\r\n" + Head + rest);

        string seen = await probe.Server.WaitForLineAsync(
            l => l.StartsWith("wsgi.input raised ", StringComparison.Ordinal) && l.EndsWith(expected, StringComparison.Ordinal));
        Assert.Equal(
            "wsgi.input raised InvalidBodyFraming (RequestBodyRefused, OSError, Exception): Invalid request body: " + expected,
            seen);
        Assert.DoesNotContain(probe.Server.Lines.Skip(_linesBefore), l => l.Contains("ClientDisconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transfer_encoding_gzip_alone_gets_400_and_a_close_and_never_reaches_the_application()
    {
        // The bytes a front end might take for the body are a second request here; neither reaches the application.
        var response = await RefusedAsync("POST /input-error?then=respond HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nGET /pid HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Contains("TRANSFER-ENCODING", response.Body, StringComparison.Ordinal);
        // Refused with the head: the application, which would have read an empty body and answered 200, never ran.
        await probe.Server.WaitForLineAsync(l => l.Contains("Invalid request from ip=", StringComparison.Ordinal) && l.Contains("TRANSFER-ENCODING", StringComparison.Ordinal));
    }

    // Sends the request on a connection of its own: the answer must be a 400, after which the server closes.
    private async Task<RawResponse> RefusedAsync(string request)
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);
        await http.SendAsync(request);
        var response = await http.ReadResponseAsync();

        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await http.IsClosedByServerAsync());
        return response;
    }
}
