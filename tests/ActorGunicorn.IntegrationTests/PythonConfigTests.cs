using System.Globalization;
using System.Text.RegularExpressions;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// gunicorn's Python configuration files reach the running server: <c>-c file.py</c>, <c>-c python:module</c> and
/// <c>./gunicorn.conf.py</c>, with their settings and their hooks.
/// </summary>
public sealed partial class PythonConfigTests : IDisposable
{
    private const string HelloApp = """
        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        """;

    // workers and bind from the file; post_fork writes each worker's pid through server.log.
    private const string TwoWorkersWithPostFork = """
        workers = 2
        bind = "127.0.0.1:0"
        wsgi_app = "hello_app:application"

        def post_fork(server, worker):
            server.log.info("post_fork hook: worker %s of arbiter %s, age %s", worker.pid, server.pid, worker.age)
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-pyconf-").FullName;

    public PythonConfigTests() => File.WriteAllText(Path.Combine(_directory, "hello_app.py"), HelloApp);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("-c file.py")]
    [InlineData("-c python:module")]
    [InlineData("./gunicorn.conf.py")]
    public async Task A_python_config_sets_workers_and_bind_and_its_post_fork_hook_runs_once_in_each_worker(string form)
    {
        await using var server = ServerUnderTest.Start(["--python", Wsgi.SystemPython, .. ArgumentsFor(form)], workingDirectory: _directory);
        await server.WaitForLineAsync(l => l.Contains("Listening at: http://127.0.0.1:", StringComparison.Ordinal));
        await server.WaitForAsync(() => PostForkLines(server).Count >= 2, "a post_fork line from each worker");

        Assert.Equal("ok", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
        Assert.NotEqual(8000, server.Port);
        Assert.Equal(2, server.WorkerPids.Count);
        var hooks = PostForkLines(server);
        Assert.Equal(server.WorkerPids.Order(), hooks.Select(h => h.Worker).Order());
        Assert.All(hooks, h => Assert.Equal(server.Pid, h.Arbiter));
        Assert.All(hooks, h => Assert.Equal(h.Worker, h.LoggedBy));
        Assert.Equal([1, 2], hooks.Select(h => h.Age).Order());
        // The settings were read in a subprocess and no hook runs in the arbiter: it embeds no Python.
        Assert.False(MapsLibPython(server.Pid), "the arbiter loaded libpython");
    }

    [Fact]
    public async Task An_invalid_value_in_gunicorn_conf_py_is_a_usage_error_naming_the_file_the_setting_and_the_value()
    {
        var file = Write("gunicorn.conf.py", "workers = \"lots\"\n");

        await using var server = ServerUnderTest.Start(["--python", Wsgi.SystemPython, "hello_app:application"], workingDirectory: _directory);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(
            $"Error: Python config file '{file}': invalid value for workers (-w/--workers / actorgunicorn.workers): 'lots' is not an integer",
            server.StandardErrorLines);
        Assert.DoesNotContain(server.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_python_config_that_raises_is_a_usage_error_showing_its_traceback()
    {
        Write("gunicorn.conf.py", "workers = 2\nraise RuntimeError('no settings for you')\n");

        await using var server = ServerUnderTest.Start(["--python", Wsgi.SystemPython, "hello_app:application"], workingDirectory: _directory);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(server.StandardErrorLines, l => l.StartsWith("Error: cannot read Python config file", StringComparison.Ordinal));
        Assert.Contains("RuntimeError: no settings for you", server.StandardErrorLines);
        Assert.Contains(server.StandardErrorLines, l => l.Contains("gunicorn.conf.py\", line 2, in <module>", StringComparison.Ordinal));
    }

    // Writes the two-worker configuration where the form looks for it, and returns the arguments naming it.
    private string[] ArgumentsFor(string form)
    {
        switch (form)
        {
            case "-c file.py":
                return ["-c", Write("server_settings.py", TwoWorkersWithPostFork)];
            case "-c python:module":
                Write("settings/deploy_settings.py", TwoWorkersWithPostFork);
                return ["-c", "python:deploy_settings", "--pythonpath", "settings"];
            default:
                Write("gunicorn.conf.py", TwoWorkersWithPostFork);
                return [];
        }
    }

    private static bool MapsLibPython(int pid) =>
        File.ReadLines($"/proc/{pid}/maps").Any(l => l.Contains("libpython", StringComparison.Ordinal));

    private static List<(int LoggedBy, int Worker, int Arbiter, int Age)> PostForkLines(ServerUnderTest server) =>
        [.. server.Lines.Select(l => PostForkLine().Match(l)).Where(m => m.Success).Select(m => (
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))];

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"\[(\d+)\] \[INFO\] post_fork hook: worker (\d+) of arbiter (\d+), age (\d+)$")]
    private static partial Regex PostForkLine();
}
