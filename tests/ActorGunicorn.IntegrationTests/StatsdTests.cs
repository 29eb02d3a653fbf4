using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>gunicorn's <c>--statsd-host</c>: the published server's metrics, read from a real UDP socket.</summary>
public sealed class StatsdTests : IDisposable
{
    private const string App = """
        def application(environ, start_response):
            found = environ["PATH_INFO"] == "/"
            start_response("200 OK" if found else "404 Not Found", [("Content-Type", "text/plain")])
            return [b"ok" if found else b"missing"]
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-statsd-").FullName;
    private readonly UdpClient _statsd = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly List<string> _lines = [];

    public StatsdTests() => File.WriteAllText(Path.Combine(_directory, "status_app.py"), App);

    public void Dispose()
    {
        _statsd.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Requests_their_statuses_and_durations_and_the_worker_count_reach_statsd_under_the_prefix()
    {
        var port = ((IPEndPoint)_statsd.Client.LocalEndPoint!).Port;
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["--python", Wsgi.SystemPython, "--chdir", _directory, "-w", "2", "--statsd-host", $"127.0.0.1:{port}", "--statsd-prefix", "web",
             "--dogstatsd-tags", "env:test", "-b", "127.0.0.1:0", "status_app:application"], workers: 2);

        await ReceiveUntilAsync(lines => lines.Contains("web.gunicorn.workers:2|g|#env:test"), "the gauge of two workers");
        foreach (var path in new[] { "/", "/", "/missing" })
        {
            await Tools.CurlAsync($"http://127.0.0.1:{server.Port}{path}");
        }

        await ReceiveUntilAsync(lines => lines.Count(l => l.StartsWith("web.gunicorn.requests:1|c", StringComparison.Ordinal)) == 3, "three requests");
        Assert.Equal(2, _lines.Count(l => l == "web.gunicorn.request.status.200:1|c|#env:test"));
        Assert.Single(_lines, "web.gunicorn.request.status.404:1|c|#env:test");
        Assert.Equal(3, _lines.Count(l => l.StartsWith("web.gunicorn.request.duration:", StringComparison.Ordinal) && l.EndsWith("|ms|#env:test", StringComparison.Ordinal)));
        Assert.DoesNotContain(server.Lines, l => l.Contains("statsd", StringComparison.OrdinalIgnoreCase) && l.Contains("[WARNING]", StringComparison.Ordinal));
    }

    // Datagrams may carry several lines; each line is one metric.
    private async Task ReceiveUntilAsync(Func<IReadOnlyList<string>, bool> done, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!done(_lines))
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _statsd.ReceiveAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no {what} within 60 s; received:\n{string.Join('\n', _lines)}");
                return;
            }

            _lines.AddRange(Encoding.UTF8.GetString(datagram.Buffer).Split('\n'));
        }
    }
}
