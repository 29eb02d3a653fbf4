using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// What a deploy does to traffic (gunicorn #3397 as users meet it behind a load balancer): 16 clients each open a
/// fresh connection per request (<c>GET /sleep?s=0.2</c>, <c>Connection: close</c>) against two WSGI workers while the
/// server is stopped, reloaded, upgraded or recycles its workers, with a shared listener and with
/// <c>--reuse-port</c>. Every connection that <c>connect()</c> completed must be answered; after a stop, the rest are
/// refused. The counts are written to the test output.
/// </summary>
public sealed class DeploySafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 16;
    private const string SlowRequest = "/sleep?s=0.2";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-deploy-").FullName;

    private string PidFile => Path.Combine(_directory, "app.pid");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Term_under_load_answers_every_connection_the_kernel_accepted_and_refuses_the_rest(bool reusePort)
    {
        await using var server = await StartAsync(reusePort);
        await TermUnderLoadAnswersOrRefusesEveryConnectionAsync(server);
    }

    [Fact]
    public async Task Term_under_load_on_an_inherited_fd_socket_answers_every_connection_the_kernel_accepted_and_refuses_the_rest()
    {
        // The socket is bound by a launcher that execs the server (--bind fd://7), as a shell redirection or a process
        // manager does: it dies with the server.
        await using var server = SocketHandOff.StartTcp(HandOff.Descriptor, fd: 7,
            ["--python", Wsgi.SystemPython, "--pythonpath", Wsgi.PythonApps, "--chdir", Wsgi.PythonApps, "-w", "2", "-b", "fd://7", Wsgi.Validated("probe_app:application")]);
        await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
        await Upgrades.WorkersServingAsync(server, server.Pid, 2);
        await TermUnderLoadAnswersOrRefusesEveryConnectionAsync(server);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hup_under_load_resets_no_connection(bool reusePort)
    {
        await using var server = await StartAsync(reusePort);
        var oldWorkers = server.WorkerPids.ToList();
        await using var clients = FreshConnectionClients.Start(server.Port, Clients, SlowRequest);
        await clients.WaitForAnsweredAsync(2 * Clients, Patience);

        server.Signal(ServerUnderTest.SigHup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 serves", StringComparison.Ordinal), Patience);
        await ExitedAsync(server, oldWorkers);
        await clients.WaitForAnsweredAsync(2 * Clients, Patience);
        var outcome = await clients.StopAsync();
        output.WriteLine(outcome.ToString());

        Assert.True(outcome.Reset == 0 && outcome.Refused == 0, $"{outcome}\n{server.Output}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Max_requests_recycling_under_load_resets_no_connection(bool reusePort)
    {
        await using var server = await StartAsync(reusePort, "--max-requests", "40");
        await using var clients = FreshConnectionClients.Start(server.Port, Clients, SlowRequest);
        // Four replacements: each of the first two workers and each of their successors has spent its budget.
        await server.WaitForAsync(() => server.WorkerPids.Count >= 6, "four workers replaced", TimeSpan.FromSeconds(120));
        await ExitedAsync(server, server.WorkerPids.Take(4));
        var outcome = await clients.StopAsync();
        output.WriteLine(outcome.ToString());

        Assert.True(outcome.Reset == 0 && outcome.Refused == 0, $"{outcome}\n{server.Output}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Usr2_winch_and_quit_under_load_reset_no_connection(bool reusePort)
    {
        await using var server = await StartAsync(reusePort, "-p", PidFile);
        var oldWorkers = await Upgrades.WorkersServingAsync(server, server.Pid, 2);
        int newArbiter = 0;
        try
        {
            await using var clients = FreshConnectionClients.Start(server.Port, Clients, SlowRequest);
            await clients.WaitForAnsweredAsync(2 * Clients, Patience);

            newArbiter = await Upgrades.ReexecAsync(server, PidFile);
            await Upgrades.WorkersServingAsync(server, newArbiter, 2);
            server.Signal(Upgrades.SigWinch);
            await ExitedAsync(server, oldWorkers);

            server.Signal(ServerUnderTest.SigQuit);
            Assert.True(await ProcessInfo.WaitForExitAsync(server.Pid, Patience));
            await server.WaitForLineAsync(l => l.Contains($"[{newArbiter}] [INFO] Master has been promoted.", StringComparison.Ordinal), Patience);
            await clients.WaitForAnsweredAsync(2 * Clients, Patience);
            var outcome = await clients.StopAsync();
            output.WriteLine(outcome.ToString());

            Assert.True(outcome.Reset == 0 && outcome.Refused == 0, $"{outcome}\n{server.Output}");
        }
        finally
        {
            await Upgrades.StopAsync(newArbiter);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // TERM mid-load: every connection connect() completed is answered, and each client is refused once the server is
    // gone (it stops at its first refusal).
    private async Task TermUnderLoadAnswersOrRefusesEveryConnectionAsync(ServerUnderTest server)
    {
        await using var clients = FreshConnectionClients.Start(server.Port, Clients, SlowRequest, untilRefused: true);
        await clients.WaitForAnsweredAsync(3 * Clients, Patience);

        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync(Patience);
        var outcome = await clients.FinishAsync();
        output.WriteLine(outcome.ToString());

        Assert.Equal(0, exitCode);
        Assert.True(outcome.Reset == 0, $"{outcome}\n{server.Output}");
        Assert.Equal(Clients, outcome.Refused);
    }

    // A worker's exit is not an INFO line: wait on the processes themselves.
    private static async Task ExitedAsync(ServerUnderTest server, IEnumerable<int> workers)
    {
        foreach (var worker in workers)
        {
            Assert.True(await ProcessInfo.WaitForExitAsync(worker, Patience), $"worker {worker} still runs\n{server.Output}");
        }
    }

    private static async Task<ServerUnderTest> StartAsync(bool reusePort, params string[] more)
    {
        string[] options = ["-w", "2", "--graceful-timeout", "20", .. reusePort ? ["--reuse-port"] : Array.Empty<string>(), .. more];
        var server = await ServerUnderTest.StartListeningAsync(Wsgi.Args("probe_app:application", Wsgi.PythonApps, options), workers: 2);
        // With --reuse-port a worker that has announced itself may not listen yet: this waits through refusals.
        await Upgrades.WorkersServingAsync(server, server.Pid, 2);
        return server;
    }
}
