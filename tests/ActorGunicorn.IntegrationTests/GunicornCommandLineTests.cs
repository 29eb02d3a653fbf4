using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// Command lines written for gunicorn (Procfiles, Dockerfiles, systemd units) start the published server: every
/// gunicorn flag is accepted, a flag this server carries out differently says so in one WARNING line, and the few
/// choices that cannot work are refused in one line with exit 2.
/// </summary>
public sealed class GunicornCommandLineTests : IDisposable
{
    private const string PrintingApp = """
        def application(environ, start_response):
            print("printed by the application for " + environ["PATH_INFO"], flush=True)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        """;

    // 4 MiB through wsgi.file_wrapper, whose blocks are 8 KiB: 512 reads when Python copies it.
    private const string FileApp = """
        import os
        PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "payload.bin")

        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(os.path.getsize(PATH)))])
            return environ["wsgi.file_wrapper"](open(PATH, "rb"), 8192)
        """;

    private const int PayloadSize = 4 << 20;

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-gunicorn-flags-").FullName;

    public GunicornCommandLineTests()
    {
        File.WriteAllText(Path.Combine(_directory, "printing_app.py"), PrintingApp);
        File.WriteAllText(Path.Combine(_directory, "file_app.py"), FileApp);
        File.WriteAllBytes(Path.Combine(_directory, "payload.bin"), [.. Enumerable.Range(0, PayloadSize).Select(i => (byte)(i * 31 % 251))]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_procfile_line_for_gunicorn_serves_and_warns_once_per_differing_flag_at_start_and_at_each_reload()
    {
        string[] procfileLine =
        [
            "--python", Wsgi.SystemPython, "--chdir", _directory, "-k", "gevent", "--worker-connections", "4", "-w", "2",
            "--name", "web", "--preload", "--statsd-host", "localhost:8125", "--statsd-prefix", "web", "--log-syslog",
            "--max-requests", "1000", "--http-protocols", "h1", "--bind", "127.0.0.1:0", "printing_app:application",
        ];
        string[] differing = ["-k/--worker-class", "-n/--name", "--preload", "--log-syslog"];

        await using var server = await ServerUnderTest.StartListeningAsync(procfileLine, workers: 2);

        Assert.Equal("ok", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
        Assert.Contains(server.Lines, l => l.Contains("[INFO] Using worker: gevent (threads: 4)", StringComparison.Ordinal));
        foreach (var flag in differing)
        {
            Assert.Single(server.Lines, l => l.Contains($"[WARNING] {flag} / actorgunicorn.", StringComparison.Ordinal));
        }

        Assert.Equal(differing.Length, server.Lines.Count(l => l.Contains("is accepted but differs from gunicorn", StringComparison.Ordinal)));

        server.Signal(ServerUnderTest.SigHup);
        await server.WaitForLineAsync(l => l.Contains("[WARNING] -k/--worker-class / actorgunicorn.worker-class = gevent", StringComparison.Ordinal), skip: 1);
        await server.WaitForAsync(
            () => server.Lines.Count(l => l.Contains("is accepted but differs from gunicorn", StringComparison.Ordinal)) == 2 * differing.Length,
            "every differing flag warned about again by the reload");
        Assert.Equal("ok", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }

    [Theory]
    [InlineData("uvicorn.workers.UvicornWorker", "'asgi' (and uvicorn's workers) serve ASGI applications")]
    [InlineData("meinheld", "invalid choice: 'meinheld' (choose from 'sync', 'gthread', 'gevent', 'eventlet', 'tornado', 'asgi')")]
    public async Task A_worker_class_that_cannot_run_is_refused_in_one_line_with_exit_2(string workerClass, string expected)
    {
        await using var server = ServerUnderTest.Start(["-k", workerClass, "-b", "127.0.0.1:0", "printing_app:application"], workingDirectory: _directory);

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains(server.StandardErrorLines, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.Empty(server.WorkerPids);
    }

    [Fact]
    public async Task Capture_output_sends_what_the_application_prints_to_the_error_log_file()
    {
        var errorLog = Path.Combine(_directory, "error.log");

        // The server's own lines go to the file too, so the test learns nothing from its pipes: it binds a Unix
        // socket, whose file appears with the bind, and waits for the file's content.
        await using (var server = ServerUnderTest.Start(ArgumentsWithErrorLog(errorLog, "captured.sock", "--capture-output")))
        {
            Assert.Equal("ok", await GetAsync("captured.sock", "/captured"));
            await Files.WaitForContentAsync(errorLog, "printed by the application for /captured", TimeSpan.FromSeconds(20));
            Assert.DoesNotContain(server.Lines, l => l.Contains("printed by the application", StringComparison.Ordinal));
        }

        // Without it, standard output stays the server's own, as in gunicorn.
        await using var uncaptured = ServerUnderTest.Start(ArgumentsWithErrorLog(errorLog, "uncaptured.sock"));
        Assert.Equal("ok", await GetAsync("uncaptured.sock", "/uncaptured"));
        await uncaptured.WaitForLineAsync(l => l.Contains("printed by the application for /uncaptured", StringComparison.Ordinal));
        Assert.DoesNotContain("printed by the application for /uncaptured", await File.ReadAllTextAsync(errorLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_sendfile_sends_file_responses_through_reads_and_the_default_through_sendfile()
    {
        Assert.True(await ReadCallsForDownloadAsync() < 128, "the default did not use sendfile(2)");
        Assert.True(await ReadCallsForDownloadAsync("--no-sendfile") >= PayloadSize / 8192, "--no-sendfile still used sendfile(2)");
    }

    // Downloads the payload from a one-worker server and counts the worker's read calls (/proc/PID/io syscr) meanwhile.
    private async Task<long> ReadCallsForDownloadAsync(params string[] flags)
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["--python", Wsgi.SystemPython, "--chdir", _directory, .. flags, "-b", "127.0.0.1:0", "file_app:application"]);
        var worker = Assert.Single(server.WorkerPids);
        Assert.Equal("200", (await Tools.CurlAsync("--output", "/dev/null", "--write-out", "%{http_code}", $"http://127.0.0.1:{server.Port}/")).StandardOutput);
        var before = ReadCalls(worker);
        var received = Path.Combine(_directory, "received.bin");
        var result = await Tools.CurlAsync("--fail", "--output", received, $"http://127.0.0.1:{server.Port}/");
        var calls = ReadCalls(worker) - before;

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_directory, "payload.bin")), await File.ReadAllBytesAsync(received));
        return calls;
    }

    private static long ReadCalls(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/io").Single(line => line.StartsWith("syscr:", StringComparison.Ordinal))["syscr:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private string[] ArgumentsWithErrorLog(string errorLog, string socket, params string[] more) =>
    [
        "--python", Wsgi.SystemPython, "--chdir", _directory, "--error-logfile", errorLog, "-b", $"unix:{Path.Combine(_directory, socket)}",
        .. more, "printing_app:application",
    ];

    private async Task<string> GetAsync(string socket, string path)
    {
        var socketPath = Path.Combine(_directory, socket);
        await Files.WaitForAsync(socketPath, TimeSpan.FromSeconds(20));
        var result = await Tools.CurlAsync("--unix-socket", socketPath, "http://localhost" + path);
        return result.ExitCode == 0 ? result.StandardOutput : $"curl exited {result.ExitCode}: {result.StandardError}";
    }
}
