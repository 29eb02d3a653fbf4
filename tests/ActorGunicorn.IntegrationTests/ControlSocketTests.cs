using System.Globalization;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// <c>actorgunicorn ctl</c> against the real server: the control socket answers status and stats, and reload, add
/// and remove change the real worker processes, as the log and /proc confirm.
/// </summary>
public sealed class ControlSocketTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string[] Workers(int count, params string[] more) =>
        ["-w", count.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.1:0", .. more, Paths.HelloWorld];

    [Fact]
    public async Task Ctl_status_prints_a_table_of_the_workers_with_the_pids_they_booted_with()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(2), workers: 2);
        await WaitForWorkersAsync(server, ws => ws.Count == 2 && ws.All(w => w.State == "Running"), "two running workers");

        var result = await server.CtlAsync("status");

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"arbiter {server.Pid}: 2 workers, 2 desired", lines[0]);
        Assert.Matches(@"^PID +STATE +AGE +REQUESTS +RSS MiB +CURRENT$", lines[1]);
        var rows = lines[2..].Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(server.WorkerPids.Order(), rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal("Running", r[1]);
            Assert.Matches(@"^\d+(s|m\d\ds)$", r[2]);
            Assert.Equal("-", r[5]);
        });
    }

    [Fact]
    public async Task Ctl_add_2_brings_two_more_workers()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(1), workers: 1);

        var result = await server.CtlAsync("add", "2");

        Assert.Equal((0, "workers: 1 -> 3\n"), (result.ExitCode, result.StandardOutput));
        await server.WaitForAsync(() => server.WorkerPids.Count == 3, "two more workers booting", Patience);
        var workers = await WaitForWorkersAsync(server, ws => ws.Count(w => w.State == "Running") == 3, "three running workers");
        Assert.Equal(server.WorkerPids.Order(), workers.Select(w => w.Pid).Order());
        Assert.Contains(server.Lines, l => l.Contains("Control command: add 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctl_remove_1_retires_the_oldest_worker()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(2), workers: 2);
        var before = await WaitForWorkersAsync(server, ws => ws.Count == 2 && ws.All(w => w.State == "Running"), "two running workers");
        var oldest = before.MinBy(w => w.Age)!;
        var youngest = before.MaxBy(w => w.Age)!;

        var result = await server.CtlAsync("remove", "1");

        Assert.Equal((0, "workers: 2 -> 1\n"), (result.ExitCode, result.StandardOutput));
        Assert.True(await ProcessInfo.WaitForExitAsync(oldest.Pid, Patience), $"the oldest worker {oldest.Pid} is still alive\n{server.Output}");
        var after = await WaitForWorkersAsync(server, ws => ws.Count == 1, "one worker");
        Assert.Equal(youngest.Pid, after.Single().Pid);
        Assert.True(ProcessInfo.IsAlive(youngest.Pid));
    }

    [Fact]
    public async Task Ctl_reload_replaces_every_worker_with_a_new_process()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(2), workers: 2);
        var before = await WaitForWorkersAsync(server, ws => ws.Count == 2 && ws.All(w => w.State == "Running"), "two running workers");

        var result = await server.CtlAsync("reload");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("reloading: generation 2, 2 workers", result.StandardOutput, StringComparison.Ordinal);
        var after = await WaitForWorkersAsync(
            server,
            ws => ws.Count == 2 && ws.All(w => w.State == "Running" && before.All(old => old.Pid != w.Pid)),
            "two new running workers");
        foreach (var old in before)
        {
            Assert.True(await ProcessInfo.WaitForExitAsync(old.Pid, Patience), $"old worker {old.Pid} is still alive\n{server.Output}");
        }

        Assert.All(after, w => Assert.Contains(w.Pid, server.WorkerPids));
        Assert.Contains(server.Lines, l => l.Contains("Control command: reload", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctl_stats_prints_the_arbiters_counters()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(1), workers: 1);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await Tools.CurlAsync("--fail", $"http://127.0.0.1:{server.Port}/")).ExitCode);
        }

        // Request counts reach the arbiter with the worker's next heartbeat (every second).
        await WaitForAsync(async () => (await StatsAsync(server)).GetProperty("requests_served").GetInt64() >= 3, "three requests counted", server);
        var result = await server.CtlAsync("stats");

        Assert.Equal(0, result.ExitCode);
        var counters = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(line => line[..18].TrimEnd(), line => line[18..]);
        Assert.Equal(server.Pid.ToString(CultureInfo.InvariantCulture), counters["arbiter pid"]);
        Assert.Equal(("1", "1", "0", "0", "3"), (counters["workers desired"], counters["workers spawned"], counters["workers lost"], counters["reloads"], counters["requests served"]));
        Assert.Matches(@"^\d+(s|m\d\ds)$", counters["uptime"]);
    }

    [Theory]
    [InlineData(null, "600")]
    [InlineData("0660", "660")]
    [InlineData("0o640", "640")]
    public async Task The_control_socket_has_its_mode_from_the_moment_it_appears(string? mode, string octal)
    {
        await using var server = await ServerUnderTest.StartListeningAsync(mode is null ? Workers(1) : Workers(1, "--control-socket-mode", mode));

        Assert.Equal((UnixFileMode)Convert.ToInt32(octal, 8), File.GetUnixFileMode(server.ControlSocketPath));
        Assert.Contains(server.Lines, l => l.EndsWith($"[INFO] Control socket listening at {server.ControlSocketPath}", StringComparison.Ordinal));
        // Only the socket: the private directory it was bound in is gone.
        Assert.Equal(["actorgunicorn.ctl"], Directory.GetFileSystemEntries(server.RuntimeDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_bad_request_gets_an_error_and_the_server_answers_the_next_one()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(1));

        // A client of our own, in Python, sends what `ctl` never would, on one connection.
        var result = await Tools.PythonAsync(
            """
            import json, socket, struct, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(20)
            s.connect(sys.argv[1])
            def ask(payload):
                s.sendall(struct.pack(">I", len(payload)) + payload)
                head = b""
                while len(head) < 4:
                    head += s.recv(4 - len(head))
                (length,) = struct.unpack(">I", head)
                body = b""
                while len(body) < length:
                    body += s.recv(length - len(body))
                print(body.decode())
            ask(b'{"id": 1, "command": "restart"}')
            ask(b'{"id": 2, "command": "add", "args": [0]}')
            ask(b'{"id": 3, "comm')
            ask(b'{"id": 4, "command": "status"}')
            """,
            server.ControlSocketPath);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var replies = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(4, replies.Count);
        Assert.Equal("unknown command 'restart' (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])", replies[0].GetProperty("error").GetString());
        Assert.Equal("bad N '0' for 'add': a whole number from 1 to 100", replies[1].GetProperty("error").GetString());
        Assert.StartsWith("malformed request: not JSON", replies[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal((4, "ok"), (replies[3].GetProperty("id").GetInt32(), replies[3].GetProperty("status").GetString()));
        Assert.Equal(server.Pid, replies[3].GetProperty("data").GetProperty("arbiter_pid").GetInt32());
        Assert.Equal(0, (await server.CtlAsync("status")).ExitCode);
    }

    [Theory]
    [InlineData("restart", "unknown command 'restart'")]
    [InlineData("add two", "bad N 'two' for 'add'")]
    [InlineData("--bogus status", "unrecognized arguments: --bogus")]
    public async Task Ctl_with_a_bad_command_is_a_usage_error_and_asks_nobody(string args, string message)
    {
        var result = await Tools.RunAsync(Paths.Executable, ["ctl", "--socket", "/nonexistent/actorgunicorn.ctl", .. args.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("usage: actorgunicorn ctl [--socket PATH] [--json] COMMAND [N]\nactorgunicorn ctl: error: " + message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctl_against_a_missing_socket_exits_1_naming_the_path_and_suggesting_socket()
    {
        var runtime = Directory.CreateTempSubdirectory("actorgunicorn-run-").FullName;
        try
        {
            var named = await Tools.RunAsync(Paths.Executable, ["ctl", "--socket", Path.Combine(runtime, "gone.ctl"), "status"]);
            var byDefault = await Tools.RunAsync("env", [$"XDG_RUNTIME_DIR={runtime}", Paths.Executable, "ctl", "status"]);

            Assert.Equal(1, named.ExitCode);
            Assert.StartsWith($"actorgunicorn ctl: cannot reach the server at '{Path.Combine(runtime, "gone.ctl")}': no such socket\n", named.StandardError, StringComparison.Ordinal);
            Assert.Equal(1, byDefault.ExitCode);
            Assert.Contains($"'{Path.Combine(runtime, "actorgunicorn.ctl")}'", byDefault.StandardError, StringComparison.Ordinal);
            Assert.Contains("--socket PATH", byDefault.StandardError, StringComparison.Ordinal);
            Assert.Empty(named.StandardOutput + byDefault.StandardOutput);
        }
        finally
        {
            Directory.Delete(runtime, recursive: true);
        }
    }

    [Theory]
    [InlineData(ServerUnderTest.SigTerm)]
    [InlineData(ServerUnderTest.SigInt)]
    public async Task The_socket_file_is_removed_when_the_server_stops(int signal)
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(1));
        Assert.True(File.Exists(server.ControlSocketPath));

        server.Signal(signal);

        Assert.Equal(0, await server.WaitForExitAsync(Patience));
        Assert.False(File.Exists(server.ControlSocketPath), server.Output);
        Assert.Empty(Directory.GetFileSystemEntries(server.RuntimeDirectory));
    }

    [Fact]
    public async Task A_second_server_finding_the_first_ones_socket_leaves_it_alone()
    {
        await using var first = await ServerUnderTest.StartListeningAsync(Workers(1));
        var shared = new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = first.RuntimeDirectory };

        // On the default path the second server runs without a socket; on a path named with --control-socket it
        // refuses to start.
        await using (var second = await ServerUnderTest.StartListeningAsync(Workers(1), environment: shared))
        {
            Assert.Contains(second.Lines, l => l.EndsWith($"[WARNING] Control socket {first.ControlSocketPath} belongs to another running server: this server runs without one (give it its own with --control-socket PATH)", StringComparison.Ordinal));
        }

        await using var third = ServerUnderTest.Start(Workers(1, "--control-socket", first.ControlSocketPath));
        Assert.Equal(1, await third.WaitForExitAsync(Patience));
        Assert.Contains(third.Lines, l => l.EndsWith($"[ERROR] --control-socket: cannot create the control socket '{first.ControlSocketPath}': another running server answers there", StringComparison.Ordinal));

        var status = await first.CtlAsync("--json", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(first.Pid, JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("arbiter_pid").GetInt32());
    }

    [Fact]
    public async Task No_control_socket_runs_without_one()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(Workers(1, "--no-control-socket"));

        Assert.Empty(Directory.GetFileSystemEntries(server.RuntimeDirectory));
        Assert.DoesNotContain(server.Lines, l => l.Contains("Control socket", StringComparison.Ordinal));
        Assert.Equal(1, (await server.CtlAsync("status")).ExitCode);
    }

    private sealed record Worker(int Pid, int Age, string State);

    private static async Task<JsonElement> JsonAsync(ServerUnderTest server, string command)
    {
        var result = await server.CtlAsync("--json", command);
        Assert.True(result.ExitCode == 0, $"ctl {command} failed: {result.StandardError}\n{server.Output}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static Task<JsonElement> StatsAsync(ServerUnderTest server) => JsonAsync(server, "stats");

    private static async Task<List<Worker>> WorkersAsync(ServerUnderTest server) =>
        [.. (await JsonAsync(server, "status")).GetProperty("workers").EnumerateArray()
            .Select(w => new Worker(w.GetProperty("pid").GetInt32(), w.GetProperty("age").GetInt32(), w.GetProperty("state").GetString()!))];

    // Asks again until the arbiter's view matches: workers boot and leave in their own time.
    private static async Task<List<Worker>> WaitForWorkersAsync(ServerUnderTest server, Func<List<Worker>, bool> condition, string what)
    {
        List<Worker> workers = [];
        await WaitForAsync(async () => condition(workers = await WorkersAsync(server)), what, server);
        return workers;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, ServerUnderTest server)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Output so far:\n{server.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
