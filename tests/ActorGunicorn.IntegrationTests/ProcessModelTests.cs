using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The process model's settings: --reuse-port, --umask, --daemon, --user/--group, --worker-tmp-dir.</summary>
public sealed class ProcessModelTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Reuse_port_gives_each_worker_its_own_listener_and_the_kernel_spreads_keep_alive_connections()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-w", "2", "-b", "127.0.0.1:0", "--reuse-port", Paths.HelloWorld], workers: 2);
        var workers = await Upgrades.WorkersServingAsync(server, server.Pid, 2);

        // Two listening sockets on the port, one in each worker; the arbiter's socket only holds the address.
        var listening = ListeningSocketInodes(server.Port);
        var owners = string.Join(", ", listening.Select(inode => $"{inode}: " + string.Join('/', workers.Prepend(server.Pid).Where(pid => SocketInodes(pid).Contains(inode)))));
        Assert.True(listening.Count == 2, $"listening on port {server.Port}: {owners}\n{server.Output}");
        Assert.All(workers, worker => Assert.Single(listening, inode => SocketInodes(worker).Contains(inode)));
        Assert.DoesNotContain(listening, inode => SocketInodes(server.Pid).Contains(inode));

        // 64 keep-alive connections: each names its worker, twice, on the same connection.
        var connections = new List<RawHttp>();
        try
        {
            var servedBy = new List<int>();
            for (int i = 0; i < 64; i++)
            {
                var http = await RawHttp.ConnectAsync(server.Port);
                connections.Add(http);
                int first = int.Parse((await http.GetAsync("/pid")).Body, CultureInfo.InvariantCulture);
                Assert.Equal(first, int.Parse((await http.GetAsync("/pid")).Body, CultureInfo.InvariantCulture));
                servedBy.Add(first);
            }

            // A fair split is 32/32; below 16 has a chance of about 1 in 100,000 with two equal listeners.
            var split = string.Join('/', workers.Select(worker => servedBy.Count(pid => pid == worker)));
            Assert.All(workers, worker => Assert.True(servedBy.Count(pid => pid == worker) is >= 16 and <= 48, $"split {split}"));
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData(null, "777")]
    [InlineData("0o027", "750")]
    [InlineData("022", "755")]
    [InlineData("7", "770")]
    public async Task Umask_decides_the_unix_socket_mode(string? umask, string octalMode)
    {
        var path = Path.Combine(_directory, "app.sock");
        string[] umaskArgs = umask is null ? [] : ["-m", umask];
        await using var server = ServerUnderTest.Start(["-b", $"unix:{path}", .. umaskArgs, Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: unix:{path}", StringComparison.Ordinal));

        var mode = File.GetUnixFileMode(path);

        Assert.Equal(Convert.ToInt32(octalMode, 8), (int)mode);
    }

    [Fact]
    public async Task An_umask_that_is_not_a_number_is_an_error_naming_the_setting()
    {
        await using var server = ServerUnderTest.Start(["-m", "0o8", Paths.HelloWorld]);

        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(server.StandardErrorLines, l => l.Contains("-m/--umask", StringComparison.Ordinal) && l.Contains("'0o8'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Daemon_mode_detaches_serves_and_stops_everything_on_term()
    {
        var pidFile = Path.Combine(_directory, "daemon.pid");
        var logFile = Path.Combine(_directory, "daemon.log");
        var launcher = await RunLauncherAsync(["-D", "-w", "2", "-p", pidFile, "--log-file", logFile, "-b", "127.0.0.1:0", Paths.HelloWorld]);
        int daemon = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        var workers = new List<int>();
        try
        {
            Assert.Equal(0, launcher.ExitCode);
            Assert.NotEqual(launcher.Pid, daemon);
            Assert.Equal(daemon, ProcessStatus.Session(daemon));
            Assert.Equal("/dev/null", ProcessStatus.Descriptor(daemon, 0));
            Assert.Equal("/dev/null", ProcessStatus.Descriptor(daemon, 1));
            Assert.Equal(logFile, ProcessStatus.Descriptor(daemon, 2));
            int port = int.Parse(LogMatch(logFile, "Listening at: http://127.0.0.1:", ' '), CultureInfo.InvariantCulture);

            Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{port}/")).StandardOutput);
            await Upgrades.PollUntilAsync(() => ProcessStatus.Children(daemon).Count == 2, "the daemon's two workers");
            workers.AddRange(ProcessStatus.Children(daemon));

            ProcessInfo.Signal(daemon, ServerUnderTest.SigTerm);
            Assert.True(await ProcessInfo.WaitForExitAsync(daemon, Patience), "the daemon still runs after TERM");
            foreach (var worker in workers)
            {
                Assert.True(await ProcessInfo.WaitForExitAsync(worker, Patience), $"worker {worker} outlived the daemon");
            }

            Assert.False(File.Exists(pidFile));
            Assert.Contains("Shutting down: Master", File.ReadAllText(logFile), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var pid in workers.Prepend(daemon).Where(ProcessInfo.IsAlive))
            {
                ProcessInfo.Signal(pid, ServerUnderTest.SigKill);
            }
        }
    }

    [Fact]
    public async Task Winch_to_a_daemon_stops_its_workers_and_keeps_it_running()
    {
        var pidFile = Path.Combine(_directory, "daemon.pid");
        var logFile = Path.Combine(_directory, "daemon.log");
        var launcher = await RunLauncherAsync(["-D", "-p", pidFile, "--log-file", logFile, "-b", "127.0.0.1:0", Paths.HelloWorld]);
        Assert.Equal(0, launcher.ExitCode);
        int daemon = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        try
        {
            await Upgrades.PollUntilAsync(() => ProcessStatus.Children(daemon).Count == 1, "the daemon's worker");
            int worker = ProcessStatus.Children(daemon).Single();

            ProcessInfo.Signal(daemon, Upgrades.SigWinch);

            Assert.True(await ProcessInfo.WaitForExitAsync(worker, Patience), "the worker still runs after WINCH");
            Assert.True(ProcessInfo.IsAlive(daemon));
            Assert.Empty(ProcessStatus.Children(daemon));
            Assert.Contains("graceful stop of workers", File.ReadAllText(logFile), StringComparison.Ordinal);
        }
        finally
        {
            await Upgrades.StopAsync(daemon);
        }
    }

    [Fact]
    public async Task With_enable_stdio_inheritance_a_daemon_keeps_the_output_it_was_started_with()
    {
        var output = Path.Combine(_directory, "output.log");
        var pidFile = Path.Combine(_directory, "daemon.pid");
        // The shell points the command's output at a file, as an operator would; the access log goes to stdout.
        var launcher = await Tools.RunAsync("sh", ["-c", $"DOTNET_EnableDiagnostics=0 XDG_RUNTIME_DIR='{RuntimeDirectory}' exec \"$0\" \"$@\" > '{output}' 2>&1",
            Paths.Executable, "-D", "-R", "-p", pidFile, "--access-logfile", "-", "-b", "127.0.0.1:0", Paths.HelloWorld]);
        Assert.Equal(0, launcher.ExitCode);
        int daemon = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        try
        {
            int port = int.Parse(LogMatch(output, "Listening at: http://127.0.0.1:", ' '), CultureInfo.InvariantCulture);
            await Tools.CurlAsync($"http://127.0.0.1:{port}/kept");
            await Upgrades.PollUntilAsync(() => File.ReadAllText(output).Contains("\"GET /kept HTTP/1.1\" 404", StringComparison.Ordinal), "the access log line");

            Assert.Equal(output, ProcessStatus.Descriptor(daemon, 1));
            Assert.Equal("/dev/null", ProcessStatus.Descriptor(daemon, 0));
        }
        finally
        {
            await Upgrades.StopAsync(daemon);
        }
    }

    [Fact]
    public async Task A_daemon_that_cannot_listen_makes_the_command_fail_with_its_exit_code()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var launcher = await RunLauncherAsync(["-D", "-b", $"127.0.0.1:{port}", Paths.HelloWorld]);

        // The daemon reports on the terminal until it listens, so the error is where the command was typed.
        Assert.Equal(1, launcher.ExitCode);
        Assert.Contains($"Can't connect to 127.0.0.1:{port}", launcher.StandardError, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task User_and_group_switch_the_workers_before_the_application_loads_and_they_still_serve()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "-u", "nobody", "-g", "nogroup", Paths.HelloWorld]);
        int worker = server.WorkerPids.Single();

        var pid = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/pid");

        Assert.Equal($"{worker}", pid.StandardOutput);
        Assert.Equal(65534, ProcessStatus.Uid(worker));
        Assert.Equal(65534, ProcessStatus.Gid(worker));
        Assert.Equal([65534], ProcessStatus.Groups(worker));
        Assert.Equal(0, ProcessStatus.Uid(server.Pid));
    }

    [RootFact]
    public async Task A_user_given_alone_brings_its_primary_group_and_initgroups_its_other_groups()
    {
        // Debian's "daemon" user: uid 1, primary group 1, no supplementary groups; numeric ids work like names.
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "-u", "1", "--initgroups", Paths.HelloWorld]);
        int worker = server.WorkerPids.Single();

        Assert.Equal(worker, await Upgrades.ServedByAsync(server.Port));
        Assert.Equal(1, ProcessStatus.Uid(worker));
        Assert.Equal(1, ProcessStatus.Gid(worker));
        Assert.DoesNotContain(0, ProcessStatus.Groups(worker));
    }

    [Theory]
    [InlineData("-u", "no-such-user-here", "-u/--user", "No such user: 'no-such-user-here'")]
    [InlineData("-g", "no-such-group-here", "-g/--group", "No such group: 'no-such-group-here'")]
    public async Task An_unknown_user_or_group_is_an_error_naming_the_setting(string flag, string value, string label, string problem)
    {
        await using var server = ServerUnderTest.Start([flag, value, Paths.HelloWorld]);

        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        var error = Assert.Single(server.StandardErrorLines, l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains(label, error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_tmp_dir_is_accepted_as_gunicorn_spells_it_and_no_heartbeat_file_is_written()
    {
        var heartbeats = Directory.CreateDirectory(Path.Combine(_directory, "heartbeats")).FullName;
        await using var server = await ServerUnderTest.StartListeningAsync(["--worker-tmp-dir", heartbeats, "-b", "127.0.0.1:0", Paths.HelloWorld]);

        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Empty(Directory.EnumerateFileSystemEntries(heartbeats));
    }

    private sealed record LauncherResult(int Pid, int ExitCode, string StandardError);

    private string RuntimeDirectory => Directory.CreateDirectory(Path.Combine(_directory, "run")).FullName;

    // Runs the command the way a shell would and waits for it, with the test environment's usual clean-ups.
    private async Task<LauncherResult> RunLauncherAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Paths.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("ACTORGUNICORN_CMD_ARGS");
        info.Environment.Remove("PORT");
        info.Environment.Remove("WEB_CONCURRENCY");
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        // The default control socket is $XDG_RUNTIME_DIR/actorgunicorn.ctl: this test's own, not another server's.
        info.Environment["XDG_RUNTIME_DIR"] = RuntimeDirectory;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the launcher did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(cts.Token);
        // The daemon gives the launcher's output back when it listens: both streams end then.
        await Task.WhenAll(stdout, stderr).WaitAsync(Patience);
        return new LauncherResult(process.Id, process.ExitCode, await stderr);
    }

    private static string LogMatch(string logFile, string marker, char end)
    {
        var line = File.ReadLines(logFile).First(l => l.Contains(marker, StringComparison.Ordinal));
        var rest = line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
        return rest[..rest.IndexOf(end, StringComparison.Ordinal)];
    }

    // /proc/net/tcp: local address (HEX_IP:HEX_PORT), state 0A = LISTEN, inode in the tenth column.
    private static List<string> ListeningSocketInodes(int port) =>
        [.. File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[1].EndsWith($":{port:X4}", StringComparison.Ordinal) && fields[3] == "0A")
            .Select(fields => fields[9])];

    private static HashSet<string> SocketInodes(int pid) =>
        [.. Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(LinkTargetOrNull)
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target!["socket:[".Length..^1])];

    // A descriptor can close while the directory is read.
    private static string? LinkTargetOrNull(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
