using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// Signals work whatever disposition or mask the server inherited: nohup ignores HUP, shells start background jobs
/// with INT and QUIT ignored, and some supervisors and CI runners ignore or block more. gunicorn installs its handlers
/// whatever it inherited; so does ActorGunicorn, in the arbiter and in its workers.
/// </summary>
public sealed class InheritedSignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Every signal the arbiter or a worker handles, by number: HUP INT QUIT ABRT USR1 USR2 TERM CHLD TTIN TTOU WINCH.
    private const string Handled = "1, 2, 3, 6, 10, 12, 15, 17, 21, 22, 28";

    [Fact]
    public async Task Signals_ignored_when_the_arbiter_started_still_reload_scale_reopen_and_stop_it()
    {
        await using var server = await StartAsync(ignore: true, block: false);
        await SignalsWorkAsync(server);
    }

    [Fact]
    public async Task Signals_blocked_when_the_arbiter_started_still_reload_scale_reopen_and_stop_it()
    {
        await using var server = await StartAsync(ignore: false, block: true);
        await SignalsWorkAsync(server);
    }

    [Fact]
    public async Task Int_ignored_when_the_arbiter_started_still_stops_it_quickly()
    {
        await using var server = await StartAsync(ignore: true, block: true);

        server.Signal(ServerUnderTest.SigInt);

        Assert.Equal(0, await server.WaitForExitAsync(Patience));
        Assert.Contains(server.Lines, l => l.Contains("Handling signal: int", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quit_to_a_worker_started_with_signals_ignored_and_blocked_makes_it_exit_and_be_replaced()
    {
        await using var server = await StartAsync(ignore: true, block: true);
        int worker = server.WorkerPids.Single();

        ProcessInfo.Signal(worker, ServerUnderTest.SigQuit);

        Assert.True(await ProcessInfo.WaitForExitAsync(worker, Patience), $"worker {worker} ignored QUIT\n{server.Output}");
        await Serving.WaitForNewWorkerAsync(server, known: 1);
        Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }

    private static async Task SignalsWorkAsync(ServerUnderTest server)
    {
        int first = server.WorkerPids.Single();

        server.Signal(ServerUnderTest.SigHup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 serves", StringComparison.Ordinal), Patience);
        Assert.True(await ProcessInfo.WaitForExitAsync(first, Patience), "HUP replaced the worker");

        server.Signal(ServerUnderTest.SigTtin);
        await server.WaitForLineAsync(l => l.Contains("Handling signal: ttin", StringComparison.Ordinal), Patience);
        await server.WaitForAsync(() => server.WorkerPids.Count(ProcessInfo.IsAlive) == 2, "a second worker", Patience);

        server.Signal(ServerUnderTest.SigUsr1);
        await server.WaitForLineAsync(l => l.Contains("Handling signal: usr1", StringComparison.Ordinal), Patience);

        server.Signal(ServerUnderTest.SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync(Patience));
    }

    /// <summary>
    /// Starts the server on the .NET sample through Debian's Python, which sets the inherited state and then execs the
    /// server in its own process (so the pid the test signals is the arbiter's).
    /// </summary>
    private static async Task<ServerUnderTest> StartAsync(bool ignore, bool block)
    {
        var launcher = $$"""
            import os, signal, sys
            handled = [{{Handled}}]
            if {{(ignore ? "True" : "False")}}:
                for number in handled:
                    signal.signal(number, signal.SIG_IGN)
            if {{(block ? "True" : "False")}}:
                signal.pthread_sigmask(signal.SIG_BLOCK, handled)
            os.execv(sys.argv[1], sys.argv[1:])
            """;
        var server = ServerUnderTest.StartTool(Wsgi.SystemPython, ["-c", launcher, Paths.Executable, "-b", "127.0.0.1:0", Paths.HelloWorld]);
        try
        {
            await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
            await server.WaitForAsync(() => server.WorkerPids.Count >= 1, "a worker booting");
            await Serving.EveryWorkerServesAsync(server);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
