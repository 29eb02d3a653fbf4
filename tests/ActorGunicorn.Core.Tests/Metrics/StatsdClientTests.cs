using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.Logging;
using ActorGunicorn.Metrics;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorGunicorn.Core.Tests.Metrics;

/// <summary>gunicorn's StatsD lines, received by a real UDP socket.</summary>
public sealed class StatsdClientTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly UdpClient _statsd = new(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose() => _statsd.Dispose();

    private StatsdAddress Address => new("127.0.0.1", ((IPEndPoint)_statsd.Client.LocalEndPoint!).Port, null);

    private async Task<string> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var datagram = await _statsd.ReceiveAsync(timeout.Token);
        return Encoding.UTF8.GetString(datagram.Buffer);
    }

    [Theory]
    [InlineData("statsd.local:9125", "statsd.local", 9125, null)]
    [InlineData("statsd.local", "statsd.local", 8125, null)]
    [InlineData("10.0.0.5:8126", "10.0.0.5", 8126, null)]
    [InlineData("[::1]:9000", "::1", 9000, null)]
    [InlineData("[::1]", "::1", 8125, null)]
    [InlineData("::1", "::1", 8125, null)]
    [InlineData("unix:///run/statsd.sock", null, 0, "/run/statsd.sock")]
    public void An_address_is_read_as_gunicorn_reads_statsd_host(string text, string? host, int port, string? path)
    {
        Assert.True(StatsdAddress.TryParse(text, out var address, out var problem), problem);
        Assert.Equal(new StatsdAddress(host, port, path), address);
    }

    [Theory]
    [InlineData("host:0", "'host:0' has no valid port (HOST:PORT, 1 to 65535)")]
    [InlineData("host:http", "'host:http' has no valid port (HOST:PORT, 1 to 65535)")]
    [InlineData(":8125", "':8125' names no host (HOST:PORT or unix://PATH)")]
    [InlineData("unix://", "'unix://' names no socket path")]
    public void A_bad_address_is_refused_naming_it(string text, string expected)
    {
        Assert.False(StatsdAddress.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("web", "web.")]
    [InlineData("web.", "web.")]
    [InlineData("svc.web...", "svc.web.")]
    public void A_prefix_ends_with_one_dot(string prefix, string expected) => Assert.Equal(expected, StatsdClient.PrefixWithDot(prefix));

    [Fact]
    public async Task A_finished_request_is_its_duration_its_count_and_its_status_in_one_datagram_with_prefix_and_tags()
    {
        using var client = new StatsdClient(Address, "web", "env:prod,team:core");

        client.RequestFinished(404, TimeSpan.FromMilliseconds(12.25));

        Assert.Equal(
            "web.gunicorn.request.duration:12.25|ms|#env:prod,team:core\n"
                + "web.gunicorn.requests:1|c|#env:prod,team:core\n"
                + "web.gunicorn.request.status.404:1|c|#env:prod,team:core",
            await ReceiveAsync());
    }

    [Fact]
    public async Task Gauges_and_counters_use_statsds_types()
    {
        using var client = new StatsdClient(Address, string.Empty, string.Empty);

        client.Gauge("gunicorn.workers", 3);
        client.Increment("gunicorn.log.error");

        Assert.Equal("gunicorn.workers:3|g", await ReceiveAsync());
        Assert.Equal("gunicorn.log.error:1|c", await ReceiveAsync());
    }

    [Fact]
    public async Task Error_log_lines_from_warning_up_are_counted_by_level()
    {
        using var client = new StatsdClient(Address, string.Empty, string.Empty);
        using var logger = ServerLogging.CreateErrorLogger(LogLevel.Information, client);

        logger.Information("not counted");
        logger.Warning("a warning");
        logger.Error("an error");
        logger.Error(new InvalidOperationException("boom"), "an exception");
        logger.Fatal("critical");

        Assert.Equal(
            ["gunicorn.log.warning:1|c", "gunicorn.log.error:1|c", "gunicorn.log.exception:1|c", "gunicorn.log.critical:1|c"],
            [await ReceiveAsync(), await ReceiveAsync(), await ReceiveAsync(), await ReceiveAsync()]);
    }

    [Fact]
    public void A_statsd_that_is_not_listening_costs_only_the_metrics()
    {
        using var closed = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closed.Client.LocalEndPoint!).Port;
        closed.Dispose();
        using var client = new StatsdClient(new StatsdAddress("127.0.0.1", port, null), string.Empty, string.Empty);

        // The first send draws an ICMP port-unreachable, which the next send reports as ECONNREFUSED: both are dropped.
        for (var i = 0; i < 3; i++)
        {
            client.RequestFinished(200, TimeSpan.FromMilliseconds(1));
        }
    }
}
