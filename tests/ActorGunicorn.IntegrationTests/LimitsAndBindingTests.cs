using System.Globalization;
using System.Net.Sockets;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The limit flags reach the HTTP engine with gunicorn's statuses; bind accepts IPv6.</summary>
public sealed class LimitsAndBindingTests
{
    [Fact]
    public async Task The_limit_flags_reject_oversized_requests_with_gunicorns_statuses()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-b", "127.0.0.1:0", "--limit-request-line", "64", "--limit-request-fields", "3", "--limit-request-field_size", "40", Paths.HelloWorld]);

        var longLine = await SendAsync(server.Port, $"GET /{new string('a', 80)} HTTP/1.1\r\nHost: a\r\n\r\n");
        var tooMany = await SendAsync(server.Port, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
        var tooBig = await SendAsync(server.Port, $"GET / HTTP/1.1\r\nX-Big: {new string('b', 60)}\r\n\r\n");
        var fine = await SendAsync(server.Port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(400, longLine.Status);
        Assert.Contains("Request Line is too large", longLine.Body, StringComparison.Ordinal);
        Assert.Equal(431, tooMany.Status);
        Assert.Equal(431, tooBig.Status);
        Assert.Equal(200, fine.Status);
    }

    [Fact]
    public async Task A_body_over_limit_request_body_gets_413_whether_announced_or_chunked()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--limit-request-body", "1K", Paths.HelloWorld]);
        string chunk = new('c', 600);

        var announced = await SendAsync(server.Port, $"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n{new string('a', 1025)}");
        var chunked = await SendAsync(server.Port, $"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n");
        var fits = await SendAsync(server.Port, $"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n{new string('f', 1024)}");

        Assert.Equal(413, announced.Status);
        Assert.Equal(413, chunked.Status);
        Assert.Equal(200, fits.Status);
        Assert.Equal(new string('f', 1024), fits.Body);
    }

    [Fact]
    public async Task A_head_not_finished_within_header_timeout_gets_408_and_the_connection_closes()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--header-timeout", "1", Paths.HelloWorld]);
        using var slow = await RawHttp.ConnectAsync(server.Port);

        // Part of a head, then nothing: the server's timeout, not the client, ends the wait.
        await slow.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ");
        var response = await slow.ReadResponseAsync();

        Assert.Equal(408, response.Status);
        Assert.True(await slow.IsClosedByServerAsync());
        Assert.Equal(200, (await SendAsync(server.Port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
    }

    [Fact]
    public async Task A_body_that_stalls_longer_than_body_timeout_gets_408()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--body-timeout", "1", Paths.HelloWorld]);
        using var stalled = await RawHttp.ConnectAsync(server.Port);

        // 10 of the 100 announced bytes, then nothing; the application is reading the body.
        await stalled.SendAsync($"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{new string('x', 10)}");
        var response = await stalled.ReadResponseAsync();

        Assert.Equal(408, response.Status);
        await server.WaitForLineAsync(l => l.Contains("RequestTimeout: No request body data for 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ipv6_address_in_brackets_is_bound_and_served()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "[::1]:0", Paths.HelloWorld]);
        var listening = await server.WaitForLineAsync(l => l.Contains("Listening at: http://[::1]:", StringComparison.Ordinal));

        var result = await Tools.CurlAsync("-g", $"http://[::1]:{server.Port}/");

        Assert.Equal("Hello, World!", result.StandardOutput);
        Assert.Contains($"[::1]:{server.Port}", listening, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_sent_term_directly_exits_gracefully_and_is_replaced()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", Paths.HelloWorld]);
        int worker = server.WorkerPids.Single();
        Assert.Equal(worker.ToString(CultureInfo.InvariantCulture), (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/pid")).StandardOutput);

        ProcessInfo.Signal(worker, ServerUnderTest.SigTerm);
        await server.WaitForAsync(() => server.WorkerPids.Count == 2, "a replacement worker");
        int replacement = server.WorkerPids.Single(pid => pid != worker);

        // A drained worker exits 0: the arbiter replaces it as it does any exit it did not ask for.
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{worker}) exited.", StringComparison.Ordinal));
        Assert.Equal(replacement.ToString(CultureInfo.InvariantCulture), (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/pid")).StandardOutput);
    }

    private static async Task<RawResponse> SendAsync(int port, string request)
    {
        using var http = await RawHttp.ConnectAsync(port);
        await http.SendAsync(request);
        return await http.ReadResponseAsync();
    }
}
