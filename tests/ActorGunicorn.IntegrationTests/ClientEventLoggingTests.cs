using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// PythonApps/probe_app.py at log level debug, with short header, body and keep-alive timeouts, accepting PROXY
/// headers: every client-caused event can be provoked against it.
/// </summary>
public sealed class ClientEventsFixture : WsgiServerFixture
{
    internal override string[] Arguments() => Wsgi.Args(
        "probe_app:application", Wsgi.PythonApps,
        "--log-level", "debug", "--header-timeout", "1", "--body-timeout", "1", "--keep-alive", "1", "--proxy-protocol", "v1");

    internal string BaseUrl => Url(string.Empty);
}

/// <summary>
/// What clients do on the internet (leave mid-body, reset mid-response, stall, send garbage) is logged as one line,
/// at gunicorn's level for it (debug for a client that left, as gunicorn's "Ignored premature client disconnection"
/// and "Ignoring EPIPE"; warning for a refused request), never with a stack trace, and the next client is served.
/// Application errors keep their ERROR and traceback (WsgiRequestErrorTests).
/// </summary>
public sealed class ClientEventLoggingTests(ClientEventsFixture probe) : IClassFixture<ClientEventsFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = probe.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(probe.Server, _linesBefore);

    [Fact]
    public async Task A_client_that_leaves_in_the_middle_of_its_body_is_one_debug_line()
    {
        int mark = ClientEventLog.Mark(probe.Server);
        using (var http = await RawHttp.ConnectAsync(probe.Server.Port))
        {
            await http.SendAsync("POST /input HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n0123456789");
        }

        var lines = await ClientEventLog.LinesOfEventAsync(probe.Server, mark, "Ignored premature client disconnection", probe.BaseUrl);

        ClientEventLog.AssertOneLine(lines, "DEBUG", "the client closed the connection in the body of POST /input");
    }

    [Fact]
    public async Task A_client_that_resets_while_its_response_is_written_is_one_debug_line()
    {
        var marker = Path.Combine(probe.TempDirectory, $"reset-{Guid.NewGuid():N}");
        int mark = ClientEventLog.Mark(probe.Server);
        using (var http = await RawHttp.ConnectAsync(probe.Server.Port))
        {
            await http.SendAsync($"GET /stream-until?marker={marker} HTTP/1.1\r\nHost: test\r\n\r\n");
            var head = await http.ReadHeadAsync();
            Assert.Equal("first block\n", await http.ReadChunkAsync());
            Assert.Equal(200, head.Status);
            http.Reset();
        }

        await File.WriteAllTextAsync(marker, "go");
        var lines = await ClientEventLog.LinesOfEventAsync(probe.Server, mark, "Connection lost while handling GET /stream-until", probe.BaseUrl);

        ClientEventLog.AssertOneLine(lines, "DEBUG", "/stream-until");
    }

    [Theory]
    [InlineData(false, "")] // it closes; the application then streams 4 MiB, written as produced
    [InlineData(true, "&small=1")] // it resets; the application then answers a few bytes, sent once it returns
    public async Task A_client_that_leaves_while_its_request_is_in_the_application_is_one_debug_line(bool resets, string answer)
    {
        var marker = Path.Combine(probe.TempDirectory, $"left-{Guid.NewGuid():N}");
        int mark;
        using (var http = await RawHttp.ConnectAsync(probe.Server.Port))
        {
            await http.SendAsync($"GET /wait-then-answer?marker={marker}{answer} HTTP/1.1\r\nHost: test\r\n\r\n");
            await probe.Server.WaitForLineAsync(l => l == $"waiting for {marker}", Patience);
            mark = ClientEventLog.Mark(probe.Server);
            if (resets)
            {
                http.Reset();
            }
        }

        await File.WriteAllTextAsync(marker, "go");
        var lines = await ClientEventLog.LinesOfEventAsync(probe.Server, mark, "Connection lost while handling GET /wait-then-answer", probe.BaseUrl);

        ClientEventLog.AssertOneLine(lines, "DEBUG", "/wait-then-answer");
    }

    [Theory]
    [InlineData("a head that stalls past the header timeout", "GET /stalled-head HTTP/1.1\r\nHost: te", 408, "The request head was not complete")]
    [InlineData("a body that stalls past the body timeout", "POST /input HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n0123456789", 408, "No request body data")]
    [InlineData("a garbled PROXY header", "PROXY TCP4 not-an-address\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n", 400, "Invalid PROXY line")]
    public async Task A_refused_request_is_one_warning_line(string what, string request, int status, string logged)
    {
        int mark = ClientEventLog.Mark(probe.Server);
        using (var http = await RawHttp.ConnectAsync(probe.Server.Port))
        {
            await http.SendAsync(request);
            Assert.True((await http.ReadResponseAsync()).Status == status, what);
        }

        var lines = await ClientEventLog.NextClientServedAsync(probe.Server, mark, probe.BaseUrl);

        ClientEventLog.AssertOneLine(lines, "WARNING", logged);
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_that_times_out_is_closed_without_a_line_above_debug()
    {
        int mark = ClientEventLog.Mark(probe.Server);
        using (var http = await RawHttp.ConnectAsync(probe.Server.Port))
        {
            Assert.Equal(200, (await http.GetAsync("/pid")).Status);
            Assert.True(await http.EndsWithFinAsync(Patience));
        }

        var lines = await ClientEventLog.NextClientServedAsync(probe.Server, mark, probe.BaseUrl);

        ClientEventLog.AssertSingleLinesUpTo(lines, "DEBUG");
    }
}
