using System.Diagnostics;
using System.Globalization;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// The two timeouts, with the real executable, real CPython and real signals. <c>--timeout</c>: a worker whose
/// heartbeat stops gets SIGABRT, logs its requests and stacks and exits 1, or gets SIGKILL on the next tick if it
/// cannot; either way it is replaced. <c>--request-timeout</c>: an overrunning request gets 504, its stack is logged,
/// and its worker is replaced gracefully while its other threads keep serving.
/// </summary>
public sealed class TimeoutTests
{
    private static readonly string StuckDotnetApp = $"{Paths.TestApps}:ActorGunicorn.TestApps.StuckRequests";

    // The sync model: one Python thread per worker, so a stuck request stops the heartbeat (gunicorn's sync worker).
    // Three seconds rather than two: the arbiter also times out a worker still booting, and CPython's boot on a
    // loaded machine can take a second or two.
    private static string[] SyncModel(params string[] more) =>
        Wsgi.Args("stuck_app:application", Wsgi.PythonApps, ["-w", "1", "--threads", "1", "-t", "3", "--graceful-timeout", "2", .. more]);

    [Fact]
    public async Task A_request_sleeping_past_the_timeout_in_the_sync_model_gets_its_worker_aborted_with_its_python_stack_and_replaced()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(SyncModel());
        int stuck = await PidAsync(server);
        using var client = await RawHttp.ConnectAsync(server.Port);

        await client.SendAsync("GET /sleep_in_python?s=60 HTTP/1.1\r\nHost: a\r\n\r\n");

        await server.WaitForLineAsync(l => l.Contains($"WORKER TIMEOUT (pid:{stuck})", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) aborting on SIGABRT", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("In flight: GET /sleep_in_python?s=60 running for ", StringComparison.Ordinal));
        // faulthandler's format: the sleeping function's frame, in its file.
        await server.WaitForLineAsync(l => l.Contains("stuck_app.py\", line ", StringComparison.Ordinal) && l.EndsWith(" in sleepy_request_handler", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) exited with code 1.", StringComparison.Ordinal));
        Assert.True(await ProcessInfo.WaitForExitAsync(stuck, TimeSpan.FromSeconds(10)), server.Output);
        int replacement = await PidAsync(server);

        Assert.NotEqual(stuck, replacement);
        Assert.DoesNotContain(server.Lines, l => l.Contains($"Worker (pid:{stuck}) was sent SIGKILL", StringComparison.Ordinal));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task A_worker_holding_the_gil_in_c_code_still_logs_its_python_stack_on_sigabrt()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(SyncModel());
        int stuck = await PidAsync(server);
        using var client = await RawHttp.ConnectAsync(server.Port);

        await client.SendAsync("GET /sleep_holding_gil?s=60 HTTP/1.1\r\nHost: a\r\n\r\n");

        // The dump needs neither the GIL nor the stuck thread: the frame that called into C is there.
        await server.WaitForLineAsync(l => l.Contains($"WORKER TIMEOUT (pid:{stuck})", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("stuck_app.py\", line ", StringComparison.Ordinal) && l.EndsWith(" in application", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) exited with code 1.", StringComparison.Ordinal));
        Assert.NotEqual(stuck, await PidAsync(server));
    }

    [Fact]
    public async Task A_worker_that_ignores_sigabrt_while_stuck_in_c_code_gets_sigkill_on_the_next_tick_and_is_replaced()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(SyncModel());
        int stuck = await PidAsync(server);
        using var client = await RawHttp.ConnectAsync(server.Port);

        await client.SendAsync("GET /ignore_abort_and_hang HTTP/1.1\r\nHost: a\r\n\r\n");

        var timedOut = await server.WaitForLineAsync(l => l.Contains($"WORKER TIMEOUT (pid:{stuck})", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) was sent SIGKILL after its timeout.", StringComparison.Ordinal));
        int replacement = await PidAsync(server);

        Assert.NotEqual(stuck, replacement);
        Assert.False(ProcessInfo.IsAlive(stuck));
        // SIGABRT was ignored: the worker never got to log its abort.
        Assert.DoesNotContain(server.Lines, l => l.Contains($"Worker (pid:{stuck}) aborting on SIGABRT", StringComparison.Ordinal));
        Assert.Contains(timedOut, server.Lines);
    }

    [Fact]
    public async Task A_dotnet_worker_sent_sigabrt_lists_its_requests_in_flight_and_exits_with_code_1()
    {
        // A .NET application's blocked thread does not stop the heartbeat (its actors run on the thread pool), so the
        // arbiter's SIGABRT is sent by hand here.
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "1", "--threads", "2", "-b", "127.0.0.1:0", StuckDotnetApp]);
        // The worker's pid from its boot line, not from a request: a request asked for it may still be finishing
        // (its answer sent, its bookkeeping not yet done) when SIGABRT lists what is in flight.
        await server.WaitForLineAsync(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal));
        int stuck = server.WorkerPids.Single();
        using var client = await RawHttp.ConnectAsync(server.Port);
        await client.SendAsync("GET /block?ms=60000 HTTP/1.1\r\nHost: a\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("StuckRequests: blocking in /block?ms=60000", StringComparison.Ordinal));

        ProcessInfo.Signal(stuck, 6);

        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) aborting on SIGABRT (no heartbeat within --timeout): 1 request(s) in flight", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("In flight: GET /block?ms=60000 running for ", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("No stacks: .NET cannot walk other threads' stacks", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker (pid:{stuck}) exited with code 1.", StringComparison.Ordinal));
        Assert.NotEqual(stuck, await PidAsync(server));
    }

    [Fact]
    public async Task A_wsgi_request_past_the_request_timeout_gets_504_while_other_threads_serve_and_its_worker_is_recycled_gracefully()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Wsgi.Args(
            "stuck_app:application", Wsgi.PythonApps,
            "-w", "1", "--threads", "4", "--request-timeout", "1", "--graceful-timeout", "2", "--access-logfile", "-"));
        int original = await PidAsync(server);
        using var stuckClient = await RawHttp.ConnectAsync(server.Port);

        var sent = Stopwatch.StartNew();
        await stuckClient.SendAsync("GET /sleep_in_python?s=10 HTTP/1.1\r\nHost: a\r\n\r\n");
        // Meanwhile the worker's other threads answer other connections.
        var servedMeanwhile = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            servedMeanwhile.Add(await PidAsync(server));
        }

        var timedOut = await stuckClient.ReadResponseAsync();
        var waited = sent.Elapsed;

        Assert.Equal(504, timedOut.Status);
        Assert.Contains("Gateway Timeout", timedOut.Body, StringComparison.Ordinal);
        // Not before the 1 s timeout, and well before the 10 s the request would take.
        Assert.True(waited >= TimeSpan.FromSeconds(1) && waited < TimeSpan.FromSeconds(9), $"504 after {waited.TotalMilliseconds:F0} ms");
        Assert.All(servedMeanwhile, pid => Assert.Equal(original, pid));
        Assert.True(await stuckClient.IsClosedByServerAsync());

        await server.WaitForLineAsync(l => l.Contains("Request timeout: GET /sleep_in_python?s=10 ran ", StringComparison.Ordinal)
            && l.Contains("answered 504 Gateway Timeout and closed the connection", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("stuck_app.py\", line ", StringComparison.Ordinal) && l.EndsWith(" in sleepy_request_handler", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("\"GET /sleep_in_python?s=10 HTTP/1.1\" 504 ", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("Asking for a replacement (request timeout: GET /sleep_in_python?s=10 ran ", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count >= 2, "a replacement worker");
        int replacement = server.WorkerPids.Single(pid => pid != original);
        await WaitUntilServedByAsync(server, replacement);
        Assert.True(await ProcessInfo.WaitForExitAsync(original, TimeSpan.FromSeconds(30)), $"the old worker is still alive\n{server.Output}");
    }

    [Fact]
    public async Task A_dotnet_request_awaiting_past_the_request_timeout_gets_504_and_its_worker_is_recycled()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-w", "1", "--threads", "4", "--request-timeout", "1", "--graceful-timeout", "2", "--access-logfile", "-", "-b", "127.0.0.1:0", StuckDotnetApp]);
        int original = await PidAsync(server);
        using var stuckClient = await RawHttp.ConnectAsync(server.Port);

        var sent = Stopwatch.StartNew();
        await stuckClient.SendAsync("GET /delay?ms=10000 HTTP/1.1\r\nHost: a\r\n\r\n");
        var timedOut = await stuckClient.ReadResponseAsync();
        var waited = sent.Elapsed;

        Assert.Equal(504, timedOut.Status);
        // Not before the 1 s timeout, and well before the 10 s the request would take.
        Assert.True(waited >= TimeSpan.FromSeconds(1) && waited < TimeSpan.FromSeconds(9), $"504 after {waited.TotalMilliseconds:F0} ms");
        Assert.True(await stuckClient.IsClosedByServerAsync());
        await server.WaitForLineAsync(l => l.Contains("Request timeout: GET /delay?ms=10000 ran ", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("No stack: .NET cannot walk another thread's stack", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("\"GET /delay?ms=10000 HTTP/1.1\" 504 ", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count >= 2, "a replacement worker");
        await WaitUntilServedByAsync(server, server.WorkerPids.Single(pid => pid != original));
        Assert.True(await ProcessInfo.WaitForExitAsync(original, TimeSpan.FromSeconds(30)), $"the old worker is still alive\n{server.Output}");
        // The application's own answer, when its delay ends, goes nowhere: the access log has one line for it.
        Assert.Single(server.Lines, l => l.Contains("\"GET /delay?ms=10000 HTTP/1.1\"", StringComparison.Ordinal));
    }

    // The pid of the worker answering a fresh connection.
    private static async Task<int> PidAsync(ServerUnderTest server)
    {
        using var http = await RawHttp.ConnectAsync(server.Port);
        var response = await http.GetAsync("/pid");
        Assert.Equal(200, response.Status);
        return int.Parse(response.Body, CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilServedByAsync(ServerUnderTest server, int pid)
    {
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            if (await PidAsync(server) == pid)
            {
                return;
            }
        }

        throw new TimeoutException($"worker {pid} never answered\n{server.Output}");
    }
}
