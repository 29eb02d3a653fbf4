using System.Globalization;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The arbiter keeps its workers alive, never leaves orphans, and stops the way gunicorn does.</summary>
public sealed class ProcessSupervisionTests
{
    private static string[] TwoWorkers => ["-w", "2", "-b", "127.0.0.1:0", "--graceful-timeout", "10", Paths.HelloWorld];

    [Fact]
    // How soon the replacement serves is measured by the benchmark (bench/run.py, "recovery after kill -9").
    public async Task A_worker_killed_with_sigkill_is_replaced_and_the_replacement_serves()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(TwoWorkers, workers: 2);
        await Serving.EveryWorkerServesAsync(server);
        int victim = server.WorkerPids.First();

        ProcessInfo.Signal(victim, ServerUnderTest.SigKill);
        var replacement = await Serving.WaitForNewWorkerAsync(server, known: 2);
        await Serving.WaitUntilServedByAsync(server, replacement);

        Assert.Contains(server.Lines, l => l.Contains($"Worker (pid:{victim}) was sent SIGKILL! Perhaps out of memory?", StringComparison.Ordinal));
        Assert.False(ProcessInfo.IsAlive(victim));
    }

    [Fact]
    public async Task When_the_arbiter_is_killed_with_sigkill_every_worker_exits_by_itself()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(TwoWorkers, workers: 2);
        await Serving.EveryWorkerServesAsync(server);
        var workers = server.WorkerPids.ToList();

        server.Signal(ServerUnderTest.SigKill);

        // The workers read end-of-stream on the control channel at once; nothing polls. 10 s only bounds the wait on a
        // loaded machine: it is far below any timeout that could stand in for that (the heartbeat's is 30 s).
        foreach (var pid in workers)
        {
            Assert.True(await ProcessInfo.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)), $"worker {pid} outlived its arbiter");
        }
    }

    [Fact]
    public async Task A_worker_still_importing_its_application_when_the_arbiter_is_killed_exits_without_finishing_the_import()
    {
        // The import takes 120 s; the arbiter's timeout is longer still, so nothing but the arbiter's death ends it.
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("slow_import_app:application", Wsgi.PythonApps, "-w", "1", "--timeout", "300"),
            environment: new Dictionary<string, string> { ["SLOW_IMPORT_SECONDS"] = "120" });
        await server.WaitForLineAsync(l => l.Contains("importing slow_import_app", StringComparison.Ordinal));
        int worker = server.WorkerPids.Single();

        try
        {
            server.Signal(ServerUnderTest.SigKill);

            // Booting, it has no actors yet to read the control channel: it must notice all the same, not serve once
            // the import is done. 10 s bounds the wait on a loaded machine; the import alone would take 120 s.
            Assert.True(await ProcessInfo.WaitForExitAsync(worker, TimeSpan.FromSeconds(10)), $"worker {worker} went on booting without its arbiter");
            await server.WaitForLineAsync(l => l.Contains($"Parent changed, shutting down: worker (pid:{worker})", StringComparison.Ordinal));
        }
        finally
        {
            // No orphan, whatever the outcome.
            if (ProcessInfo.IsAlive(worker))
            {
                ProcessInfo.Signal(worker, ServerUnderTest.SigKill);
            }
        }
    }

    [Fact]
    public async Task Term_under_load_lets_in_flight_requests_complete_then_exits_zero()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(TwoWorkers, workers: 2);

        // Eight slow streaming responses (10 chunks, 100 ms apart) are in flight when TERM arrives: each client has
        // received its response head, which the server sends with the first chunk.
        var connections = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RawHttp.ConnectAsync(server.Port)));
        var heads = await Task.WhenAll(connections.Select(async http =>
        {
            await http.SendAsync("GET /stream?chunks=10&delay=100 HTTP/1.1\r\nHost: a\r\n\r\n");
            return await http.ReadHeadAsync();
        }));

        server.Signal(ServerUnderTest.SigTerm);
        var responses = await Task.WhenAll(connections.Zip(heads, (http, head) => http.ReadBodyAsync(head)));
        foreach (var http in connections)
        {
            http.Dispose();
        }

        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.All(responses, r => Assert.Equal(string.Concat(Enumerable.Range(1, 10).Select(i => $"chunk {i} of 10\n")), r.Body));
        Assert.Equal(0, exitCode);
        Assert.Contains(server.Lines, l => l.Contains("Handling signal: term", StringComparison.Ordinal));
        Assert.Contains(server.Lines, l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
        Assert.All(server.WorkerPids, pid => Assert.False(ProcessInfo.IsAlive(pid)));
    }

    [Fact]
    public async Task Int_is_a_quick_stop_that_does_not_wait_for_slow_requests()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(TwoWorkers, workers: 2);
        using var http = await RawHttp.ConnectAsync(server.Port);
        await http.SendAsync("GET /stream?chunks=100&delay=100 HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = await http.ReadHeadAsync();

        server.Signal(ServerUnderTest.SigInt);
        // The streaming response would take 10 s: a stop that waited for it would not end within 9.
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(9));

        Assert.Equal(0, exitCode);
        await Assert.ThrowsAnyAsync<IOException>(() => http.ReadBodyAsync(head));
    }

    [Fact]
    public async Task Ttin_adds_a_worker_and_ttou_retires_the_oldest()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 1);
        int oldest = server.WorkerPids.Single();

        server.Signal(ServerUnderTest.SigTtin);
        int added = await Serving.WaitForNewWorkerAsync(server, known: 1);
        await Serving.WaitUntilServedByAsync(server, added);

        server.Signal(ServerUnderTest.SigTtou);
        Assert.True(await ProcessInfo.WaitForExitAsync(oldest, TimeSpan.FromSeconds(10)), server.Output);
        Assert.True(ProcessInfo.IsAlive(added));
        Assert.Equal(added.ToString(CultureInfo.InvariantCulture), (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/pid")).StandardOutput);
    }
}
