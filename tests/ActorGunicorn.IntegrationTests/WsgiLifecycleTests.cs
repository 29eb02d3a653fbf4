using System.Net;
using System.Net.Sockets;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>Starting and stopping a worker that embeds Python: signals stay the server's, shutdown finalises Python.</summary>
public sealed class WsgiLifecycleTests
{
    [Fact]
    public async Task An_application_taking_sigterm_at_import_is_warned_and_term_still_stops_the_server_gracefully()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Wsgi.Args("signal_app", Wsgi.PythonApps));
        int worker = server.WorkerPids.Single();
        Assert.Equal("signal handler installed", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);

        server.Signal(ServerUnderTest.SigTerm);
        // Well under the 30 s graceful timeout: a worker that ignored TERM would be killed only after it.
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exitCode);
        Assert.Contains(server.Lines, l => l.Contains($"[{worker}] [WARNING] Ignoring signal.signal(SIGTERM, ...) from the application", StringComparison.Ordinal));
        Assert.Contains(server.Lines, l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains("the application's SIGTERM handler ran", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains("SIGKILL", StringComparison.Ordinal));
        Assert.False(ProcessInfo.IsAlive(worker));
        Wsgi.AssertValidatorWasSilent(server);
    }

    [Fact]
    public async Task Term_finalises_python_so_atexit_handlers_run_and_the_server_exits_zero()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Wsgi.Args("atexit_app", Wsgi.PythonApps));
        int worker = server.WorkerPids.Single();
        Assert.Equal(Wsgi.Invariant(worker), (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);

        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exitCode);
        Assert.Contains($"atexit handler ran in process {worker}", server.Lines);
        Assert.Contains(server.Lines, l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains("Python was not finalised", StringComparison.Ordinal));
        Wsgi.AssertValidatorWasSilent(server);
    }
}

/// <summary>The Django line config/Procfile documents, run exactly as written.</summary>
public sealed class WsgiProcfileTests
{
    private static bool IsLogLine(string line) => line.Contains("] [INFO] ", StringComparison.Ordinal);

    [Fact]
    public async Task The_django_procfile_line_serves_on_port_8000_with_its_log_on_stderr()
    {
        // The command line has no --bind: gunicorn's default, 127.0.0.1:8000.
        using (var probe = new TcpListener(IPAddress.Loopback, 8000))
        {
            try
            {
                probe.Start();
            }
            catch (SocketException ex)
            {
                Assert.Fail($"port 8000 is taken ({ex.SocketErrorCode}): free it to run this test");
            }
        }

        const string command = "actorgunicorn myproject.wsgi --limit-request-line 8188 --log-file -";
        Assert.Contains($"web: {command}", await File.ReadAllTextAsync(Path.Combine(Paths.RepositoryRoot, "config", "Procfile")), StringComparison.Ordinal);
        var line = command.Split(' ');
        // python3 on this PATH is Debian's, which has Django; the test's own PATH may hold another python3 first.
        await using var server = ServerUnderTest.Start(
            line[1..], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, Wsgi.Sample("django_project"));
        await server.WaitForLineAsync(l => l.Contains("Listening at: http://127.0.0.1:8000 ", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count == 1, "the worker booting");

        var hello = await Tools.CurlAsync("--fail", "http://127.0.0.1:8000/");

        Assert.True(hello.ExitCode == 0, $"{hello.StandardError}\n{server.Output}");
        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Contains(server.StandardErrorLines, l => l.Contains("[INFO] Starting actorgunicorn", StringComparison.Ordinal));
        Assert.Contains(server.StandardErrorLines, l => l.Contains("[INFO] Booting worker with pid: ", StringComparison.Ordinal));
        Assert.Equal(server.Lines.Where(IsLogLine), server.StandardErrorLines.Where(IsLogLine));
    }
}
