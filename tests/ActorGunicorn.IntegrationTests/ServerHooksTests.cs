using System.Globalization;
using System.Text.RegularExpressions;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// gunicorn's server hooks, in Python (functions in <c>gunicorn.conf.py</c>) and in .NET (<c>--server-hooks</c>): each
/// runs at its moment, in the process gunicorn runs it in, and a hook that raises does what gunicorn does.
/// </summary>
public sealed partial class ServerHooksTests : IDisposable
{
    private const string HelloApp = """
        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        """;

    // Every hook writes "hook: NAME details" through the log of the process it runs in.
    private const string EveryHook = """
        workers = 1
        bind = "127.0.0.1:0"

        def _say(log, name, detail=""):
            log.info("hook: %s %s", name, detail)

        def on_starting(server): _say(server.log, "on_starting", "pid=%s workers=%s" % (server.pid, server.cfg.workers))
        def when_ready(server): _say(server.log, "when_ready")
        def pre_fork(server, worker): _say(server.log, "pre_fork", "age=%s pid=%s" % (worker.age, worker.pid))
        def post_fork(server, worker): _say(worker.log, "post_fork", "pid=%s ppid=%s age=%s" % (worker.pid, worker.ppid, worker.age))
        def post_worker_init(worker): _say(worker.log, "post_worker_init", "booted=%s" % worker.booted)
        def pre_request(worker, req):
            _say(worker.log, "pre_request", "%s %s query=%s probe=%s" % (req.method, req.path, req.query, dict(req.headers).get("X-PROBE")))
        def post_request(worker, req, environ, resp):
            _say(worker.log, "post_request", "%s status=%s code=%s path_info=%s" % (req.path, resp.status, resp.status_code, environ["PATH_INFO"]))
        def nworkers_changed(server, new, old): _say(server.log, "nworkers_changed", "new=%s old=%s" % (new, old))
        def worker_int(worker): _say(worker.log, "worker_int", "pid=%s" % worker.pid)
        def worker_exit(server, worker): _say(worker.log, "worker_exit", "pid=%s" % worker.pid)
        def child_exit(server, worker): _say(server.log, "child_exit", "pid=%s age=%s" % (worker.pid, worker.age))
        def on_reload(server): _say(server.log, "on_reload", "workers=%s" % server.cfg.workers)
        def on_exit(server): _say(server.log, "on_exit")
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-hooks-").FullName;

    public ServerHooksTests() => File.WriteAllText(Path.Combine(_directory, "hello_app.py"), HelloApp);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Python_hooks_run_in_gunicorns_order_from_start_through_a_request_and_ttin_to_term()
    {
        Write("gunicorn.conf.py", EveryHook);
        await using var server = await StartAsync("hello_app:application");
        int first = server.WorkerPids.Single();

        var response = await Tools.CurlAsync("-H", "X-Probe: yes", $"http://127.0.0.1:{server.Port}/probe?x=1");
        await server.WaitForLineAsync(l => l.Contains("hook: post_request", StringComparison.Ordinal));
        server.Signal(ServerUnderTest.SigTtin);
        await server.WaitForAsync(() => Hooks(server, "post_worker_init").Count == 2, "the second worker's post_worker_init");
        int second = server.WorkerPids.Single(pid => pid != first);
        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal("ok", response.StandardOutput);
        Assert.Equal(0, exitCode);
        var arbiter = server.Pid;
        AssertInOrder(server, [
            ("on_starting", arbiter), ("when_ready", arbiter), ("pre_fork", arbiter), ("post_fork", first),
            ("post_worker_init", first), ("pre_request", first), ("post_request", first), ("nworkers_changed", arbiter),
            ("pre_fork", arbiter), ("post_fork", second), ("post_worker_init", second)]);
        Assert.Equal($"pid={arbiter} workers=1", Hooks(server, "on_starting").Single().Detail);
        Assert.Equal(["age=1 pid=None", "age=2 pid=None"], Hooks(server, "pre_fork").Select(h => h.Detail));
        Assert.Equal($"pid={first} ppid={arbiter} age=1", Hooks(server, "post_fork")[0].Detail);
        Assert.Equal("booted=True", Hooks(server, "post_worker_init")[0].Detail);
        Assert.Equal("GET /probe query=x=1 probe=yes", Hooks(server, "pre_request").Single().Detail);
        Assert.Equal("/probe status=200 OK code=200 path_info=/probe", Hooks(server, "post_request").Single().Detail);
        Assert.Equal("new=2 old=1", Hooks(server, "nworkers_changed").Single().Detail);
        // TERM: each worker runs worker_exit, the arbiter child_exit for each, then on_exit last of all.
        Assert.Equal([first, second], Hooks(server, "worker_exit").Select(h => h.Process).Order());
        Assert.Equal(
            [$"pid={first} age=1", $"pid={second} age=2"],
            Hooks(server, "child_exit").Select(h => h.Detail).Order(StringComparer.Ordinal));
        Assert.All(Hooks(server, "child_exit"), h => Assert.Equal(arbiter, h.Process));
        var lines = server.Lines.ToList();
        int onExit = lines.FindIndex(l => l.Contains("hook: on_exit", StringComparison.Ordinal));
        Assert.True(onExit > lines.FindLastIndex(l => l.Contains("hook: child_exit", StringComparison.Ordinal)), server.Output);
        Assert.True(onExit > lines.FindIndex(l => l.Contains("Shutting down: Master", StringComparison.Ordinal)), server.Output);
        Assert.Empty(Hooks(server, "worker_int"));
    }

    [Fact]
    public async Task Hup_runs_on_reload_in_the_arbiter_before_the_new_worker_forks_and_the_old_one_exits_with_its_hooks()
    {
        Write("gunicorn.conf.py", EveryHook);
        await using var server = await StartAsync("hello_app:application");
        int old = server.WorkerPids.Single();
        await server.WaitForLineAsync(l => l.Contains("hook: post_worker_init", StringComparison.Ordinal));

        server.Signal(ServerUnderTest.SigHup);
        await server.WaitForAsync(() => Hooks(server, "child_exit").Count == 1, "the old worker's child_exit");
        int replacement = server.WorkerPids.Single(pid => pid != old);

        Assert.Equal("workers=1", Hooks(server, "on_reload").Single().Detail);
        AssertInOrder(server, [
            ("on_reload", server.Pid), ("pre_fork", server.Pid), ("post_fork", replacement), ("post_worker_init", replacement)]);
        AssertInOrder(server, [("on_reload", server.Pid), ("worker_exit", old), ("child_exit", server.Pid)]);
        Assert.Equal($"pid={old} age=1", Hooks(server, "child_exit").Single().Detail);
        Assert.Equal("ok", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }

    [Fact]
    public async Task Sigquit_to_a_worker_runs_worker_int_and_worker_exit_in_it_then_child_exit_in_the_arbiter()
    {
        Write("gunicorn.conf.py", EveryHook);
        await using var server = await StartAsync("hello_app:application");
        int worker = server.WorkerPids.Single();

        ProcessInfo.Signal(worker, ServerUnderTest.SigQuit);
        await server.WaitForAsync(() => server.WorkerPids.Count == 2 && Hooks(server, "post_worker_init").Count == 2, "a replacement worker");

        Assert.Equal(worker, Hooks(server, "worker_int").Single().Process);
        Assert.Equal(worker, Hooks(server, "worker_exit").Single().Process);
        Assert.Equal($"pid={worker} age=1", Hooks(server, "child_exit").Single().Detail);
        AssertInOrder(server, [("worker_int", worker), ("worker_exit", worker), ("child_exit", server.Pid)]);
        Assert.Equal("ok", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }

    [Fact]
    public async Task A_python_hook_that_raises_is_logged_with_its_traceback_and_the_server_keeps_serving()
    {
        Write("gunicorn.conf.py", """
            bind = "127.0.0.1:0"

            def pre_request(worker, req):
                if req.path == "/refused":
                    raise PermissionError("pre_request refuses /refused")

            def post_request(worker, req, environ, resp):
                raise ZeroDivisionError("post_request fails on purpose")

            def nworkers_changed(server, new, old):
                raise KeyError("nworkers_changed fails on purpose")
            """);
        await using var server = await StartAsync("hello_app:application");

        var first = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");
        var refused = await Tools.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{server.Port}/refused");
        server.Signal(ServerUnderTest.SigTtin);
        await server.WaitForAsync(() => server.WorkerPids.Count == 2, "the worker TTIN asks for");
        var after = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal("ok", first.StandardOutput);
        Assert.Equal("500", refused.StandardOutput);
        Assert.Equal("ok", after.StandardOutput);
        // gunicorn: pre_request's exception fails the request; post_request's and the arbiter's are only logged.
        Assert.Contains("PermissionError: pre_request refuses /refused", server.Lines);
        Assert.Contains(server.Lines, l => l.EndsWith("[ERROR] Exception in post_request hook", StringComparison.Ordinal));
        Assert.Contains("ZeroDivisionError: post_request fails on purpose", server.Lines);
        Assert.Contains(server.Lines, l => l.EndsWith($"[{server.Pid}] [ERROR] Exception in nworkers_changed hook", StringComparison.Ordinal));
        Assert.Contains("KeyError: 'nworkers_changed fails on purpose'", server.Lines);
        Assert.Contains(server.Lines, l => l.Contains("gunicorn.conf.py\", line 11, in nworkers_changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_on_starting_hook_that_raises_stops_the_start_with_exit_code_1_as_in_gunicorn()
    {
        Write("gunicorn.conf.py", "def on_starting(server):\n    raise RuntimeError('not today')\n");

        await using var server = ServerUnderTest.Start(
            ["--python", Wsgi.SystemPython, "-b", "127.0.0.1:0", "hello_app:application"], workingDirectory: _directory);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains(server.Lines, l => l.EndsWith("[ERROR] Exception in on_starting hook", StringComparison.Ordinal));
        Assert.Contains("RuntimeError: not today", server.Lines);
        Assert.Empty(server.WorkerPids);
    }

    [Fact]
    public async Task A_post_fork_hook_that_raises_fails_the_workers_boot_and_the_arbiter_halts_with_exit_code_3()
    {
        Write("gunicorn.conf.py", "def post_fork(server, worker):\n    raise RuntimeError('no fork for you')\n");

        await using var server = ServerUnderTest.Start(
            ["--python", Wsgi.SystemPython, "-b", "127.0.0.1:0", "hello_app:application"], workingDirectory: _directory);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(3, exitCode);
        Assert.Contains(server.Lines, l => l.EndsWith("[ERROR] Exception in post_fork hook:", StringComparison.Ordinal));
        Assert.Contains("RuntimeError: no fork for you", server.Lines);
        Assert.Contains(server.Lines, l => l.Contains("Reason: Worker failed to boot.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dotnet_hooks_class_is_called_in_the_arbiter_and_the_worker_and_its_pre_request_exception_fails_only_that_request()
    {
        await using var server = await StartAsync(
            Paths.HelloWorld, "--server-hooks", $"{Paths.TestApps}:ActorGunicorn.TestApps.RecordingHooks");
        int worker = server.WorkerPids.Single();

        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");
        var failed = await Tools.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{server.Port}/hook-fails");
        var again = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");
        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Equal("500", failed.StandardOutput);
        Assert.Equal("Hello, World!", again.StandardOutput);
        Assert.Equal(0, exitCode);
        var arbiter = server.Pid;
        AssertInOrder(server, [
            ("on_starting", arbiter), ("when_ready", arbiter), ("pre_fork", arbiter), ("post_fork", worker),
            ("post_worker_init", worker), ("pre_request", worker), ("post_request", worker), ("worker_exit", worker),
            ("child_exit", arbiter), ("on_exit", arbiter)], prefix: "dotnet hook: ");
        Assert.Equal($"server={arbiter} workers=1", DotNetHooks(server, "on_starting").Single().Detail);
        Assert.Equal("pid=0 ppid=" + arbiter + " age=1", DotNetHooks(server, "pre_fork").Single().Detail);
        Assert.Equal($"pid={worker} ppid={arbiter} age=1", DotNetHooks(server, "post_fork").Single().Detail);
        Assert.Equal(["/ status=200", "/hook-fails status=200", "/ status=200"], DotNetHooks(server, "post_request").Select(h => h.Detail));
        Assert.Contains("System.InvalidOperationException: pre_request refuses /hook-fails", server.Lines);
    }

    [Fact]
    public async Task A_dotnet_application_runs_the_python_configs_worker_hooks_in_an_interpreter_embedded_for_them()
    {
        Write("gunicorn.conf.py", EveryHook);

        await using var server = await StartAsync(Paths.HelloWorld);
        int worker = server.WorkerPids.Single();
        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/?y=2");
        await server.WaitForLineAsync(l => l.Contains("hook: post_request", StringComparison.Ordinal));

        Assert.Equal("Hello, World!", hello.StandardOutput);
        AssertInOrder(server, [("post_fork", worker), ("post_worker_init", worker), ("pre_request", worker), ("post_request", worker)]);
        Assert.Equal("GET / query=y=2 probe=None", Hooks(server, "pre_request").Single().Detail);
        Assert.Equal("/ status=200 code=200 path_info=/", Hooks(server, "post_request").Single().Detail);
    }

    [Fact]
    public async Task A_server_hooks_class_that_does_not_implement_the_interface_is_a_usage_error_naming_the_setting()
    {
        await using var server = ServerUnderTest.Start(
            ["-b", "127.0.0.1:0", "--server-hooks", $"{Paths.TestApps}:ActorGunicorn.TestApps.NotAnApplication", Paths.HelloWorld]);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(server.Lines, l => l.EndsWith(
            $"[ERROR] --server-hooks / actorgunicorn.server-hooks: 'ActorGunicorn.TestApps.NotAnApplication' in '{Paths.TestApps}' does not implement ActorGunicorn.Gateway.IServerHooks",
            StringComparison.Ordinal));
        Assert.Empty(server.WorkerPids);
    }

    [Fact]
    public async Task Check_config_loads_the_server_hooks_class_and_fails_for_one_that_is_not()
    {
        var good = await Tools.RunAsync(Paths.Executable, ["--check-config", "--server-hooks", $"{Paths.TestApps}:ActorGunicorn.TestApps.RecordingHooks", Paths.HelloWorld]);
        var bad = await Tools.RunAsync(Paths.Executable, ["--check-config", "--server-hooks", $"{Paths.TestApps}:ActorGunicorn.TestApps.Missing", Paths.HelloWorld]);

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal(
            $"Error: --server-hooks / actorgunicorn.server-hooks: '{Paths.TestApps}' has no type 'ActorGunicorn.TestApps.Missing'",
            bad.StandardError.Trim());
    }

    private async Task<ServerUnderTest> StartAsync(string app, params string[] more)
    {
        var server = ServerUnderTest.Start(["--python", Wsgi.SystemPython, "-b", "127.0.0.1:0", .. more, app], workingDirectory: _directory);
        try
        {
            await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
            // Connections wait in the listen backlog until the worker accepts, so a booting worker is enough.
            await server.WaitForAsync(() => server.WorkerPids.Count == 1, "a worker booting");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static void AssertInOrder(ServerUnderTest server, IReadOnlyList<(string Hook, int Process)> expected, string prefix = "hook: ")
    {
        var lines = server.Lines.ToList();
        int from = 0;
        foreach (var (hook, process) in expected)
        {
            int found = lines.FindIndex(from, l => l.Contains($"[{process}] [INFO] {prefix}{hook} ", StringComparison.Ordinal));
            Assert.True(found >= 0, $"no {hook} from process {process} after line {from}:\n{server.Output}");
            from = found + 1;
        }
    }

    private static List<(int Process, string Detail)> Hooks(ServerUnderTest server, string hook) =>
        Matching(server, "hook: ", hook);

    private static List<(int Process, string Detail)> DotNetHooks(ServerUnderTest server, string hook) =>
        Matching(server, "dotnet hook: ", hook);

    private static List<(int Process, string Detail)> Matching(ServerUnderTest server, string prefix, string hook) =>
        [.. server.Lines.Select(l => HookLine().Match(l))
            .Where(m => m.Success && m.Groups[2].Value == prefix && m.Groups[3].Value == hook)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[4].Value))];

    private void Write(string relativePath, string text) => File.WriteAllText(Path.Combine(_directory, relativePath), text);

    [GeneratedRegex(@"\[(\d+)\] \[INFO\] ((?:dotnet )?hook: )(\w+) (.*)$")]
    private static partial Regex HookLine();
}
