using System.Text.RegularExpressions;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The error log and the access log look like gunicorn's and go where the flags say.</summary>
public sealed partial class LoggingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_access_log_on_stdout_uses_gunicorns_default_format()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--access-logfile", "-", Paths.HelloWorld]);

        await Tools.CurlAsync("--user-agent", "test-agent/1.0", "--referer", "http://ref.example/", $"http://127.0.0.1:{server.Port}/?x=1");
        var line = await server.WaitForLineAsync(l => l.Contains("\"GET /?x=1 HTTP/1.1\"", StringComparison.Ordinal));

        Assert.Matches(CombinedLogLine(), line);
        Assert.EndsWith("\"GET /?x=1 HTTP/1.1\" 200 13 \"http://ref.example/\" \"test-agent/1.0\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_log_counts_an_empty_body_as_0_bytes_in_b_and_capital_b_as_gunicorn_does()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "--access-logfile", "-", "--access-logformat", "access \"%(r)s\" %(s)s %(B)s %(b)s"));
        var url = $"http://127.0.0.1:{server.Port}";

        await Tools.CurlAsync($"{url}/status?code=302");
        await Tools.CurlAsync($"{url}/status?code=304");
        await Tools.CurlAsync("--head", $"{url}/pid");
        await Tools.CurlAsync($"{url}/pid");

        Assert.Equal("access \"GET /status?code=302 HTTP/1.1\" 302 0 0", await server.WaitForLineAsync(l => l.StartsWith("access \"GET /status?code=302 ", StringComparison.Ordinal)));
        Assert.Equal("access \"GET /status?code=304 HTTP/1.1\" 304 0 0", await server.WaitForLineAsync(l => l.StartsWith("access \"GET /status?code=304 ", StringComparison.Ordinal)));
        Assert.Equal("access \"HEAD /pid HTTP/1.1\" 200 0 0", await server.WaitForLineAsync(l => l.StartsWith("access \"HEAD /pid ", StringComparison.Ordinal)));
        int pidLength = Wsgi.Invariant(server.WorkerPids.Single()).Length;
        Assert.Equal($"access \"GET /pid HTTP/1.1\" 200 {pidLength} {pidLength}", await server.WaitForLineAsync(l => l.StartsWith("access \"GET /pid ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_error_log_goes_to_the_log_file_in_gunicorns_line_format()
    {
        var logFile = Path.Combine(_directory, "error.log");
        var socket = Path.Combine(_directory, "server.sock");
        await using (var server = ServerUnderTest.Start(["-b", $"unix:{socket}", "--log-file", logFile, Paths.HelloWorld]))
        {
            // Nothing reaches the test's pipes now: the request itself waits for the server to be up.
            await Files.WaitForAsync(socket, TimeSpan.FromSeconds(20));
            // The file appears with the bind; the server listens the moment after, so a connection is never refused.
            var hello = await Tools.CurlAsync("--unix-socket", socket, "http://localhost/");
            Assert.True(hello.StandardOutput == "Hello, World!", $"curl exited {hello.ExitCode}: {hello.StandardError}{hello.StandardOutput}");
            server.Signal(ServerUnderTest.SigTerm);
            Assert.Equal(0, await server.WaitForExitAsync());
            Assert.Empty(server.Lines);
        }

        var lines = await File.ReadAllLinesAsync(logFile);
        Assert.Contains(lines, l => ErrorLogLine().IsMatch(l) && l.Contains("[INFO] Starting actorgunicorn", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("[INFO] Booting worker with pid: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("[INFO] Shutting down: Master", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "".*"" \d{3} (\d+|-) "".*"" "".*""$")]
    private static partial Regex CombinedLogLine();

    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] ")]
    private static partial Regex ErrorLogLine();
}
