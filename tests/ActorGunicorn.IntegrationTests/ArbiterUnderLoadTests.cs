using System.Diagnostics;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// The arbiter's promises under wrk load on loopback: reloads, recycling, killed workers and a graceful stop lose
/// nothing that was accepted. The numbers each test measured are written to the test output.
/// </summary>
public sealed class ArbiterUnderLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_hups_during_a_60_second_wrk_run_give_no_error_and_no_non_2xx()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "2", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 2);
        await Serving.EveryWorkerServesAsync(server);

        var load = Wrk.RunAsync(server.Port, TimeSpan.FromSeconds(60));
        var started = Stopwatch.StartNew();
        for (int generation = 2; generation <= 11; generation++)
        {
            // Pacing, not synchronisation: one HUP every five seconds, each reload completing in between.
            var nextHup = TimeSpan.FromSeconds(5 * (generation - 1));
            if (nextHup > started.Elapsed)
            {
                await Task.Delay(nextHup - started.Elapsed);
            }

            server.Signal(ServerUnderTest.SigHup);
            await server.WaitForLineAsync(l => l.Contains($"Reload complete: generation {generation} serves", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }

        var result = await load;
        output.WriteLine(result.Output);

        Assert.True(result.NonSuccess == 0 && result.SocketErrors == 0, result.Output);
        Assert.True(result.Requests > 10_000, result.Output);
        Assert.Equal(2 + (10 * 2), server.WorkerPids.Count);
    }

    [Fact]
    public async Task Killing_a_random_worker_every_two_seconds_for_a_minute_never_stops_the_service()
    {
        const int connections = 16;
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "3", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 3);
        await Serving.EveryWorkerServesAsync(server);
        var random = new Random(20261124);

        var load = Wrk.RunAsync(server.Port, TimeSpan.FromSeconds(60), connections);
        var probe = ProbeAsync(server.Port, TimeSpan.FromSeconds(58));
        int kills = 0;
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(56))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var alive = server.WorkerPids.Where(ProcessInfo.IsAlive).ToList();
            if (alive.Count > 0)
            {
                ProcessInfo.Signal(alive[random.Next(alive.Count)], ServerUnderTest.SigKill);
                kills++;
            }
        }

        var result = await load;
        var probes = await probe;
        output.WriteLine(result.Output);
        output.WriteLine($"kills: {kills}; socket errors: {result.SocketErrors}; probes: {probes.Requests}, failed: {probes.Failed}, longest gap between answered probes: {probes.LongestGap.TotalMilliseconds:F0} ms");

        // Only the connections a killed worker held can fail: at most every connection once per kill. A fresh
        // connection is answered at every moment: the listener outlives any worker.
        Assert.Equal(0, result.NonSuccess);
        Assert.True(result.SocketErrors <= kills * connections, $"{result.SocketErrors} errors for {kills} kills\n{result.Output}");
        Assert.True(probes.LongestGap < TimeSpan.FromSeconds(2), $"no probe answered for {probes.LongestGap.TotalMilliseconds:F0} ms");
        Assert.True(probes.Failed <= kills, $"{probes.Failed} failed probes for {kills} kills");
        Assert.True(kills >= 25, $"only {kills} kills");
    }

    [Fact]
    public async Task Max_requests_with_jitter_recycles_under_load_without_a_failed_request()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-w", "2", "-b", "127.0.0.1:0", "--max-requests", "1000", "--max-requests-jitter", "100", Paths.HelloWorld], workers: 2);
        await Serving.EveryWorkerServesAsync(server);

        var result = await Wrk.RunAsync(server.Port, TimeSpan.FromSeconds(15));
        output.WriteLine(result.Output);
        int recycles = server.Lines.Count(l => l.Contains("max-requests reached", StringComparison.Ordinal) && l.Contains("Replacing worker", StringComparison.Ordinal));
        output.WriteLine($"recycles: {recycles}");

        Assert.True(result.NonSuccess == 0 && result.SocketErrors == 0, result.Output);
        Assert.True(recycles >= 4, $"{recycles} recycles\n{server.Output}");
    }

    [Fact]
    public async Task Term_answers_the_connections_queued_in_the_backlog_and_exits_zero()
    {
        // One worker holding at most two connections: both are busy with a slow response when TERM arrives, and six
        // more clients have connected and sent their request, which wait in the listen backlog.
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-w", "1", "--worker-connections", "2", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 1);
        const string slow = "GET /stream?chunks=10&delay=100 HTTP/1.1\r\nHost: a\r\n\r\n";
        var busy = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RawHttp.ConnectAsync(server.Port)));
        var busyHeads = await Task.WhenAll(busy.Select(async http =>
        {
            await http.SendAsync(slow);
            return await http.ReadHeadAsync();
        }));
        var queued = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RawHttp.ConnectAsync(server.Port)));
        foreach (var http in queued)
        {
            await http.SendAsync("GET /pid HTTP/1.1\r\nHost: a\r\n\r\n");
        }

        server.Signal(ServerUnderTest.SigTerm);
        var slowBodies = await Task.WhenAll(busy.Zip(busyHeads, (http, head) => http.ReadBodyAsync(head)));
        var queuedResponses = await Task.WhenAll(queued.Select(http => http.ReadResponseAsync()));
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        foreach (var http in busy.Concat(queued))
        {
            http.Dispose();
        }

        Assert.All(slowBodies, r => Assert.EndsWith("chunk 10 of 10\n", r.Body, StringComparison.Ordinal));
        Assert.All(queuedResponses, r => Assert.Equal((200, "close"), (r.Status, r.Header("Connection"))));
        Assert.Equal(0, exitCode);
    }

    /// <summary>
    /// A fresh connection and one request every 100 ms: counts the requests that failed and the longest time between
    /// two answered ones.
    /// </summary>
    private static async Task<(int Requests, int Failed, TimeSpan LongestGap)> ProbeAsync(int port, TimeSpan duration)
    {
        int requests = 0, failed = 0;
        var started = Stopwatch.StartNew();
        var lastAnswered = TimeSpan.Zero;
        var longestGap = TimeSpan.Zero;
        while (started.Elapsed < duration)
        {
            requests++;
            try
            {
                using var http = await RawHttp.ConnectAsync(port);
                if ((await http.GetAsync("/").WaitAsync(TimeSpan.FromSeconds(5))).Status == 200)
                {
                    longestGap = started.Elapsed - lastAnswered > longestGap ? started.Elapsed - lastAnswered : longestGap;
                    lastAnswered = started.Elapsed;
                }
                else
                {
                    failed++;
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                failed++;
            }

            // Pacing, not synchronisation.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return (requests, failed, longestGap);
    }
}
