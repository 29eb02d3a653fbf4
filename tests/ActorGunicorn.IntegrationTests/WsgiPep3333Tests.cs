using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>PythonApps/probe_app.py behind wsgiref.validate, one worker with one thread.</summary>
public sealed class ProbeFixture : WsgiServerFixture
{
    internal override string[] Arguments() => Wsgi.Args("probe_app:application", Wsgi.PythonApps);

    /// <summary>The environ the application saw for a raw request, as JSON.</summary>
    internal async Task<JsonElement> EnvironAsync(string request, RawHttp? connection = null)
    {
        using var own = connection is null ? await RawHttp.ConnectAsync(Server.Port) : null;
        var http = connection ?? own!;
        await http.SendAsync(request);
        var response = await http.ReadResponseAsync();
        Assert.True(response.Status == 200, $"{response.Status}: {response.Body}\n{Server.Output}");
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.Clone();
    }
}

/// <summary>The server's side of PEP 3333, seen by a plain WSGI application under wsgiref.validate.</summary>
public sealed class WsgiPep3333Tests(ProbeFixture probe) : IClassFixture<ProbeFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = probe.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(probe.Server, _linesBefore);

    [Fact]
    public async Task The_request_line_becomes_the_cgi_variables_with_path_info_percent_decoded_as_latin_1()
    {
        var environ = await probe.EnvironAsync("GET /caf%C3%A9/a%2Fb?x=%20y&z=%C3%A9 HTTP/1.1\r\nHost: example.test\r\n\r\n");

        Assert.Equal("GET", environ.GetProperty("REQUEST_METHOD").GetString());
        // The UTF-8 bytes of "é" (C3 A9) read as latin-1, as PEP 3333's native strings are; %2F decoded too.
        Assert.Equal("/caf\u00c3\u00a9/a/b", environ.GetProperty("PATH_INFO").GetString());
        Assert.Equal("x=%20y&z=%C3%A9", environ.GetProperty("QUERY_STRING").GetString());
        Assert.Equal("/caf%C3%A9/a%2Fb?x=%20y&z=%C3%A9", environ.GetProperty("RAW_URI").GetString());
        Assert.Equal("HTTP/1.1", environ.GetProperty("SERVER_PROTOCOL").GetString());
        Assert.Equal("", environ.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("example.test", environ.GetProperty("HTTP_HOST").GetString());
    }

    [Fact]
    public async Task The_server_and_remote_variables_are_the_two_ends_of_the_connection()
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var environ = await probe.EnvironAsync("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", http);

        Assert.Equal("127.0.0.1", environ.GetProperty("SERVER_NAME").GetString());
        Assert.Equal(Wsgi.Invariant(probe.Server.Port), environ.GetProperty("SERVER_PORT").GetString());
        Assert.Equal("127.0.0.1", environ.GetProperty("REMOTE_ADDR").GetString());
        Assert.Equal(Wsgi.Invariant(http.LocalPort), environ.GetProperty("REMOTE_PORT").GetString());
    }

    [Fact]
    public async Task Content_type_and_length_are_cgi_variables_without_an_http_prefix()
    {
        var environ = await probe.EnvironAsync(
            "POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nname=Ad");

        Assert.Equal("POST", environ.GetProperty("REQUEST_METHOD").GetString());
        Assert.Equal("application/x-www-form-urlencoded", environ.GetProperty("CONTENT_TYPE").GetString());
        Assert.Equal("7", environ.GetProperty("CONTENT_LENGTH").GetString());
        Assert.False(environ.TryGetProperty("HTTP_CONTENT_TYPE", out _));
        Assert.False(environ.TryGetProperty("HTTP_CONTENT_LENGTH", out _));
    }

    [Fact]
    public async Task Request_headers_become_http_variables_and_repeated_ones_are_joined_with_commas()
    {
        var environ = await probe.EnvironAsync(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Answer: 42\r\nX-Forwarded-For: 10.0.0.1\r\nAccept: text/html\r\nX-Forwarded-For: 10.0.0.2\r\n\r\n");

        Assert.Equal("42", environ.GetProperty("HTTP_X_ANSWER").GetString());
        Assert.Equal("10.0.0.1,10.0.0.2", environ.GetProperty("HTTP_X_FORWARDED_FOR").GetString());
        Assert.Equal("text/html", environ.GetProperty("HTTP_ACCEPT").GetString());
    }

    [Fact]
    public async Task The_wsgi_variables_describe_one_single_threaded_process_serving_plain_http()
    {
        var environ = await probe.EnvironAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([1, 0], environ.GetProperty("wsgi.version").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("http", environ.GetProperty("wsgi.url_scheme").GetString());
        Assert.False(environ.GetProperty("wsgi.multithread").GetBoolean());
        Assert.False(environ.GetProperty("wsgi.multiprocess").GetBoolean());
        Assert.False(environ.GetProperty("wsgi.run_once").GetBoolean());
        Assert.True(environ.GetProperty("wsgi.input_terminated").GetBoolean());
        Assert.StartsWith("actorgunicorn/", environ.GetProperty("SERVER_SOFTWARE").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_response_with_exc_info_replaces_the_status_and_headers_before_anything_is_sent()
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var response = await http.GetAsync("/exc-info-before-sending");

        Assert.Equal(500, response.Status);
        Assert.Equal("yes", response.Header("x-replaced"));
        Assert.Equal("the error page", response.Body);
    }

    [Fact]
    public async Task Start_response_with_exc_info_after_a_block_was_sent_reraises_and_the_connection_is_aborted()
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);
        await http.SendAsync("GET /exc-info-after-sending HTTP/1.1\r\nHost: a\r\n\r\n");

        var head = await http.ReadHeadAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal("already sent", await http.ReadChunkAsync());
        await Assert.ThrowsAnyAsync<IOException>(http.ReadChunkAsync);
        await probe.Server.WaitForLineAsync(l => l.StartsWith("ValueError: too late to replace the response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_write_callable_sends_its_blocks_before_the_returned_ones()
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var response = await http.GetAsync("/write");

        Assert.Equal(200, response.Status);
        Assert.Equal("written twice, then returned", response.Body);
    }

    [Fact]
    public async Task Every_result_is_closed_exactly_once_however_the_response_ends()
    {
        var before = await CountsAsync();
        string[] modes = ["list", "generator", "write", "raise-before-first-block", "raise-after-first-block"];
        foreach (var mode in modes)
        {
            // A new connection each time: the ones that fail are closed by the server.
            await Tools.CurlAsync(probe.Url($"/counted?mode={mode}"));
        }

        var after = await CountsAsync();

        Assert.Equal(modes.Length, after.Created - before.Created);
        Assert.Equal(modes.Length, after.Closed - before.Closed);
        Assert.Equal(0, after.ClosedTwice);
    }

    [Theory]
    [InlineData("read", false, false)]
    [InlineData("read", false, true)]
    [InlineData("read", true, false)]
    [InlineData("read", true, true)]
    [InlineData("readline", false, false)]
    [InlineData("readline", false, true)]
    [InlineData("readline", true, false)]
    [InlineData("readline", true, true)]
    [InlineData("readline-sized", false, true)]
    [InlineData("readline-sized", true, true)]
    [InlineData("readlines", false, false)]
    [InlineData("readlines", false, true)]
    [InlineData("readlines", true, false)]
    [InlineData("readlines", true, true)]
    [InlineData("iterate", false, false)]
    [InlineData("iterate", false, true)]
    [InlineData("iterate", true, false)]
    [InlineData("iterate", true, true)]
    public async Task Wsgi_input_gives_the_whole_body_by_every_reading_method(string how, bool chunked, bool large)
    {
        // Lines of varying length; over 64 KiB the server streams the body from the socket, under it reads it
        // ahead (with a Content-Length; a chunked body is always streamed). Chunks of 7,001 bytes cut lines apart.
        var body = new StringBuilder();
        for (int i = 0; body.Length < (large ? 300_000 : 3_000); i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"line {i} {new string((char)('a' + (i % 26)), i % 150)}\n");
        }

        body.Append("a last line without a newline");
        string text = body.ToString();
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);
        string target = $"/input?how={how}&size=1000";
        if (chunked)
        {
            var request = new StringBuilder($"POST {target} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int at = 0; at < text.Length; at += 7_001)
            {
                var chunk = text.Substring(at, Math.Min(7_001, text.Length - at));
                request.Append(CultureInfo.InvariantCulture, $"{chunk.Length:x}\r\n{chunk}\r\n");
            }

            await http.SendAsync(request.Append("0\r\n\r\n").ToString());
        }
        else
        {
            await http.SendAsync($"POST {target} HTTP/1.1\r\nHost: a\r\nContent-Length: {text.Length}\r\n\r\n{text}");
        }

        var response = await http.ReadResponseAsync();

        Assert.True(response.Status == 200, response.Body);
        using var json = JsonDocument.Parse(response.Body);
        var read = json.RootElement;
        int lines = text.Count(c => c == '\n');
        Assert.Equal(text.Length, read.GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.Latin1.GetBytes(text))), read.GetProperty("sha256").GetString());
        switch (how)
        {
            case "read":
                Assert.True(read.GetProperty("longest").GetInt32() <= 1000, "read(1000) returned more than 1000 bytes");
                Assert.Equal((text.Length + 999) / 1000, read.GetProperty("pieces").GetInt32());
                break;
            case "readline-sized":
                Assert.True(read.GetProperty("longest").GetInt32() <= 1000, "readline(1000) returned more than 1000 bytes");
                Assert.Equal(lines, read.GetProperty("pieces_ending_in_newline").GetInt32());
                break;
            default:
                // One piece per line, each ending at its newline, and the last line without one.
                Assert.Equal(lines + 1, read.GetProperty("pieces").GetInt32());
                Assert.Equal(lines, read.GetProperty("pieces_ending_in_newline").GetInt32());
                break;
        }
    }

    [Fact]
    public async Task Text_written_to_wsgi_errors_appears_in_the_server_log()
    {
        string marker = Guid.NewGuid().ToString("N");

        var result = await Tools.CurlAsync(probe.Url($"/errors?marker={marker}"));

        Assert.Equal("logged", result.StandardOutput);
        await probe.Server.WaitForLineAsync(l => l == $"wsgi.errors write {marker}");
        await probe.Server.WaitForLineAsync(l => l == $"wsgi.errors writelines {marker}");
    }

    [Fact]
    public async Task A_streamed_block_reaches_the_client_before_the_application_produces_the_next()
    {
        // The application yields a first block, then waits for a file that the test creates only once it has
        // received that block: a server that held the block back would leave the application waiting until it
        // gives up, and the body would say so.
        var marker = Path.Combine(probe.TempDirectory, $"marker-{Guid.NewGuid():N}");
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);
        await http.SendAsync($"GET /stream-until?marker={Uri.EscapeDataString(marker)} HTTP/1.1\r\nHost: a\r\n\r\n");

        var head = await http.ReadHeadAsync();
        var first = await http.ReadChunkAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await File.WriteAllTextAsync(marker, "go");
        var second = await http.ReadChunkAsync();
        var end = await http.ReadChunkAsync();

        Assert.Equal("chunked", head.Header("transfer-encoding"));
        Assert.Equal("first block\n", first);
        Assert.Equal("second block\n", second);
        Assert.Null(end);
    }

    private async Task<(int Created, int Closed, int ClosedTwice)> CountsAsync()
    {
        var result = await Tools.CurlAsync(probe.Url("/counts"));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var counts = json.RootElement;
        return (counts.GetProperty("created").GetInt32(), counts.GetProperty("closed").GetInt32(), counts.GetProperty("closed_twice").GetInt32());
    }
}

/// <summary>The environ under settings that need a server of their own.</summary>
public sealed class WsgiEnvironSettingsTests
{
    [Fact]
    public async Task With_two_workers_wsgi_multiprocess_is_true()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "-w", "2"), workers: 2);

        var environ = await EnvironAsync(server, "/");

        Assert.True(environ.GetProperty("wsgi.multiprocess").GetBoolean());
        Assert.False(environ.GetProperty("wsgi.multithread").GetBoolean());
        Wsgi.AssertValidatorWasSilent(server);
    }

    [Fact]
    public async Task Script_name_from_the_environment_is_stripped_from_path_info()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "-e", "SCRIPT_NAME=/prefix"));

        var environ = await EnvironAsync(server, "/prefix/caf%C3%A9?q=1");

        Assert.Equal("/prefix", environ.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("/caf\u00c3\u00a9", environ.GetProperty("PATH_INFO").GetString());
        Assert.Equal("/prefix/caf%C3%A9?q=1", environ.GetProperty("RAW_URI").GetString());
        Wsgi.AssertValidatorWasSilent(server);
    }

    private static async Task<JsonElement> EnvironAsync(ServerUnderTest server, string target)
    {
        using var http = await RawHttp.ConnectAsync(server.Port);
        var response = await http.GetAsync(target);
        Assert.True(response.Status == 200, $"{response.Status}: {response.Body}\n{server.Output}");
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.Clone();
    }
}
