using System.Globalization;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// HUP, USR1 and every kind of recycling, with the real executable and real signals: a replacement always serves
/// before the worker it replaces leaves.
/// </summary>
public sealed class ReloadAndRecyclingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-reload-").FullName;

    [Fact]
    public async Task Hup_replaces_every_worker_with_a_new_one_that_served_first()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "2", "-b", "127.0.0.1:0", Paths.HelloWorld], workers: 2);
        await Serving.EveryWorkerServesAsync(server);
        var old = server.WorkerPids.ToList();

        server.Signal(ServerUnderTest.SigHup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 serves", StringComparison.Ordinal));

        var fresh = server.WorkerPids.Except(old).ToList();
        Assert.Equal(2, fresh.Count);
        foreach (var pid in old)
        {
            Assert.True(await ProcessInfo.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)), $"old worker {pid} still alive\n{server.Output}");
        }

        var servedBy = await Serving.ServedByAsync(server.Port);
        Assert.Contains(servedBy, fresh);
        Assert.Contains(server.Lines, l => l.Contains("Handling signal: hup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hup_reads_the_configuration_file_again()
    {
        var config = Path.Combine(_directory, "server.conf");
        await File.WriteAllTextAsync(config, $"actorgunicorn {{ app = \"{Paths.HelloWorld}\", bind = [\"127.0.0.1:0\"], workers = 1 }}");
        await using var server = await ServerUnderTest.StartListeningAsync(["-c", config], workers: 1);

        await File.WriteAllTextAsync(config, $"actorgunicorn {{ app = \"{Paths.HelloWorld}\", bind = [\"127.0.0.1:0\"], workers = 3 }}");
        server.Signal(ServerUnderTest.SigHup);

        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 serves", StringComparison.Ordinal));
        Assert.Equal(4, server.WorkerPids.Count);
        Assert.True(await ProcessInfo.WaitForExitAsync(server.WorkerPids.First(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_reload_whose_new_workers_cannot_load_the_app_keeps_the_old_workers_serving()
    {
        var config = Path.Combine(_directory, "server.conf");
        await File.WriteAllTextAsync(config, $"actorgunicorn {{ app = \"{Paths.HelloWorld}\", bind = [\"127.0.0.1:0\"], workers = 2 }}");
        await using var server = await ServerUnderTest.StartListeningAsync(["-c", config], workers: 2);
        await Serving.EveryWorkerServesAsync(server);
        var old = server.WorkerPids.ToList();

        // The deploy is broken: the new configuration names an assembly that does not exist.
        await File.WriteAllTextAsync(config, $"actorgunicorn {{ app = \"{Path.Combine(_directory, "Missing.dll")}\", bind = [\"127.0.0.1:0\"], workers = 2 }}");
        server.Signal(ServerUnderTest.SigHup);

        await server.WaitForLineAsync(l => l.Contains("Reload to generation 2 abandoned", StringComparison.Ordinal));
        Assert.All(old, pid => Assert.True(ProcessInfo.IsAlive(pid), $"old worker {pid} died\n{server.Output}"));
        Assert.Contains(await Serving.ServedByAsync(server.Port), old);
        Assert.False(server.HasExited, server.Output);
    }

    [Fact]
    public async Task Usr1_reopens_the_error_log_and_the_access_log_after_they_were_moved()
    {
        var errorLog = Path.Combine(_directory, "error.log");
        var accessLog = Path.Combine(_directory, "access.log");
        var socket = Path.Combine(_directory, "server.sock");
        await using var server = ServerUnderTest.Start(["-b", $"unix:{socket}", "--log-file", errorLog, "--access-logfile", accessLog, Paths.HelloWorld]);
        await Files.WaitForAsync(socket, TimeSpan.FromSeconds(20));
        Assert.Equal("Hello, World!", (await Tools.CurlAsync("--unix-socket", socket, "http://localhost/?before")).StandardOutput);
        // The worker writes a request's line after the client has its response (as gunicorn does): a rotation right
        // after the response may put it in either file, so the rotation waits for it.
        await Files.WaitForContentAsync(accessLog, "GET /?before", TimeSpan.FromSeconds(20));

        // logrotate's way: move the files, then signal.
        File.Move(errorLog, errorLog + ".1");
        File.Move(accessLog, accessLog + ".1");
        server.Signal(ServerUnderTest.SigUsr1);
        await Files.WaitForContentAsync(errorLog, "Log files reopened", TimeSpan.FromSeconds(20));
        // The worker reopens its files when its own USR1 arrives: a request after that lands in the new access log.
        await Files.WaitForAsync(accessLog, TimeSpan.FromSeconds(20));
        Assert.Equal("Hello, World!", (await Tools.CurlAsync("--unix-socket", socket, "http://localhost/?after")).StandardOutput);
        await Files.WaitForContentAsync(accessLog, "GET /?after", TimeSpan.FromSeconds(20));

        Assert.Contains("Handling signal: usr1", await File.ReadAllTextAsync(errorLog + ".1"), StringComparison.Ordinal);
        Assert.Contains("GET /?before", await File.ReadAllTextAsync(accessLog + ".1"), StringComparison.Ordinal);
        Assert.DoesNotContain("GET /?after", await File.ReadAllTextAsync(accessLog + ".1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_worker_lifetime_replaces_a_worker_once_its_replacement_serves()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", "--max-worker-lifetime", "2", Paths.HelloWorld], workers: 1);
        int first = server.WorkerPids.Single();

        await server.WaitForLineAsync(l => l.Contains($"Replacing worker (pid:{first}): max-worker-lifetime reached", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        int replacement = await Serving.WaitForNewWorkerAsync(server, known: 1);

        Assert.True(await ProcessInfo.WaitForExitAsync(first, TimeSpan.FromSeconds(20)), server.Output);
        Assert.Equal(replacement, await Serving.ServedByAsync(server.Port));
    }

    [Fact]
    public async Task Max_worker_memory_replaces_a_worker_whose_rss_is_above_the_limit()
    {
        // Every .NET worker is above 1 MiB: the first one is replaced as soon as it serves.
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", "--max-worker-memory", "1M", Paths.HelloWorld], workers: 1);
        int first = server.WorkerPids.Single();

        var line = await server.WaitForLineAsync(l => l.Contains($"Replacing worker (pid:{first}): max-worker-memory: RSS", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        Assert.Contains("is above 1 MiB", line, StringComparison.Ordinal);
        await Serving.WaitForNewWorkerAsync(server, known: 1);
        Assert.True(await ProcessInfo.WaitForExitAsync(first, TimeSpan.FromSeconds(20)), server.Output);
    }

    [Fact]
    public async Task Max_requests_asks_for_a_replacement_and_the_worker_serves_until_it_is_ready()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", "--max-requests", "3", Paths.HelloWorld], workers: 1);
        int first = server.WorkerPids.Single();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(first, await Serving.ServedByAsync(server.Port));
        }

        await server.WaitForLineAsync(l => l.Contains($"Replacing worker (pid:{first}): max-requests reached", StringComparison.Ordinal));
        int replacement = await Serving.WaitForNewWorkerAsync(server, known: 1);

        Assert.True(await ProcessInfo.WaitForExitAsync(first, TimeSpan.FromSeconds(20)), server.Output);
        Assert.Equal(replacement, await Serving.ServedByAsync(server.Port));
    }

    [Fact]
    public async Task Respawn_failed_workers_retries_a_failing_boot_with_a_growing_pause_instead_of_halting()
    {
        var missing = Path.Combine(_directory, "Missing.dll");
        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", "--respawn-failed-workers", missing]);

        await server.WaitForLineAsync(l => l.Contains("Respawning the worker in 1 s", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("Respawning the worker in 2 s", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("Respawning the worker in 4 s", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.False(server.HasExited, server.Output);

        server.Signal(ServerUnderTest.SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
