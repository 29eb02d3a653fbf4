using System.Globalization;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// How connections on a shared listener spread over the workers (the load board): a burst of keep-alive
/// connections is shared out evenly, and a new connection goes to a worker with a free application thread rather
/// than to one whose threads are all in requests.
/// </summary>
public sealed class ConnectionBalanceTests(ITestOutputHelper output)
{
    private const int Connections = 64;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sixty_four_keep_alive_connections_opened_at_once_are_shared_out_between_two_workers_within_40_to_60_percent()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "2", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 2);
        await Serving.EveryWorkerServesAsync(server);

        for (int round = 1; round <= 5; round++)
        {
            // The board balances the connections each worker holds: the last round's must be gone first.
            await NoConnectionsLeftAsync(server);

            // As a load generator opens them: every connection first, then a request on each.
            var connections = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => RawHttp.ConnectAsync(server.Port)));
            var pids = await Task.WhenAll(connections.Select(async http => (await http.GetAsync("/pid")).Body));
            foreach (var http in connections)
            {
                http.Dispose();
            }

            var perWorker = pids.GroupBy(pid => pid).Select(g => g.Count()).OrderByDescending(n => n).ToList();
            output.WriteLine($"round {round}: {string.Join(" / ", perWorker)}");
            Assert.True(perWorker.Count == 2 && perWorker[0] <= Connections * 60 / 100, $"round {round}: {string.Join(" / ", perWorker)}");
        }
    }

    [Fact]
    public async Task A_new_connection_goes_to_the_worker_with_a_free_python_thread_not_behind_a_running_request()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "-w", "2", "--threads", "1"), workers: 2);
        await Serving.EveryWorkerServesAsync(server);

        // One worker's only Python thread is in a long request (it answers with its pid when done).
        using var slow = await RawHttp.ConnectAsync(server.Port);
        await slow.SendAsync("GET /sleep?s=10&say=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var slowAnswer = slow.ReadResponseAsync();
        var sleeping = await server.WaitForLineAsync(l => l.Contains("sleeping in ", StringComparison.Ordinal), Patience);
        int busyWorker = int.Parse(sleeping[(sleeping.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);

        // Meanwhile fresh connections: a connection the busy worker took would wait for its thread, and be answered
        // by that worker once the slow request is done.
        var answeredBy = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            answeredBy.Add(await Serving.ServedByAsync(server.Port));
        }

        Assert.False(slowAnswer.IsCompleted, "the slow request ended before the fresh connections were served: nothing was shown");
        Assert.Equal(busyWorker.ToString(CultureInfo.InvariantCulture), (await slowAnswer).Body);
        Assert.All(answeredBy, pid => Assert.NotEqual(busyWorker, pid));
    }

    // Until every worker's heartbeat (one a second) reports no open connection, from `ctl --json status`.
    private static async Task NoConnectionsLeftAsync(ServerUnderTest server)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await server.CtlAsync("--json", "status");
            using var json = JsonDocument.Parse(status.StandardOutput);
            if (json.RootElement.GetProperty("workers").EnumerateArray().All(w => w.GetProperty("connections").GetInt32() == 0))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"connections still open: {status.StandardOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
