using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>
/// A Python configuration file takes the HOCON file's place among the layers, executed by a real interpreter
/// (Debian's, in a subprocess).
/// </summary>
public sealed class PythonConfigLoaderTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly ScratchDirectory directory = new();
    private readonly Dictionary<string, string?> environment = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") };

    public void Dispose() => directory.Dispose();

    private LoadedConfiguration Load(params string[] args) => SettingsLoader.Load(["--python", Python, .. args], environment, directory.Path);

    [Fact]
    public void Gunicorn_conf_py_is_read_by_default_and_the_command_line_and_environment_override_it()
    {
        directory.Write("gunicorn.conf.py", "workers = 3\nthreads = 2\nkeepalive = 7\n");
        environment[SettingsLoader.CommandArgumentsVariable] = "--threads 4";

        var loaded = Load("--keep-alive", "9");

        Assert.Equal(3, loaded.Settings.Workers);
        Assert.Equal(4, loaded.Settings.Threads);
        Assert.Equal(TimeSpan.FromSeconds(9), loaded.Settings.KeepAlive);
        Assert.Equal("file:" + Path.Combine(directory.Path, "gunicorn.conf.py"), loaded.PythonConfig!.Location);
    }

    [Fact]
    public void Actorgunicorn_conf_wins_over_gunicorn_conf_py_when_both_exist()
    {
        directory.Write("gunicorn.conf.py", "workers = 3\n");
        directory.Write("actorgunicorn.conf", "actorgunicorn.workers = 5");

        var loaded = Load();

        Assert.Equal(5, loaded.Settings.Workers);
        Assert.Null(loaded.PythonConfig);
    }

    [Fact]
    public void A_module_is_imported_from_the_pythonpath_and_its_hooks_and_ignored_names_are_recorded()
    {
        directory.Write("conf/deploy.py", """
            import multiprocessing
            workers = multiprocessing.cpu_count() * 0 + 2
            bind = ["127.0.0.1:9001"]
            not_a_setting = "ignored, as gunicorn ignores it"

            def post_fork(server, worker):
                pass

            def when_ready(server):
                pass

            def helper():
                pass
            """);

        var loaded = Load("-c", "python:deploy", "--pythonpath", "conf");

        Assert.Equal(2, loaded.Settings.Workers);
        Assert.Equal([new TcpBindAddress("127.0.0.1", 9001)], loaded.Settings.Bind);
        Assert.Equal(["post_fork", "when_ready"], loaded.PythonConfig!.Hooks.Order(StringComparer.Ordinal));
        Assert.Equal(["helper", "not_a_setting"], loaded.PythonConfig.IgnoredNames);
        Assert.Equal("python:deploy", SettingsLoader.LoadForWorker(loaded.RenderForWorker()).PythonConfig!.Location);
    }

    [Fact]
    public void The_configurations_own_output_does_not_disturb_the_answer()
    {
        directory.Write("noisy.py", "print('hello from the config')\nworkers = 2\n");

        Assert.Equal(2, Load("-c", "noisy.py").Settings.Workers);
    }

    [Fact]
    public void A_file_with_another_extension_is_python_when_named_as_file()
    {
        directory.Write("server.cfg", "workers = 6\n");

        Assert.Equal(6, Load("-c", "file:server.cfg").Settings.Workers);
    }

    [Fact]
    public void A_configuration_that_raises_is_an_error_with_the_configurations_own_traceback()
    {
        var file = directory.Write("broken.py", "workers = 2\nundefined_name + 1\n");

        var message = Assert.Throws<SettingsException>(() => Load("-c", "broken.py")).Message;

        Assert.Equal(
            $"cannot read Python config file '{file}':\nTraceback (most recent call last):\n  File \"{file}\", line 2, in <module>\n    undefined_name + 1\n    ^^^^^^^^^^^^^^\nNameError: name 'undefined_name' is not defined",
            message);
    }

    [Fact]
    public void A_hook_with_the_wrong_arguments_is_an_error_naming_the_hook()
    {
        directory.Write("gunicorn.conf.py", "def post_fork(server):\n    pass\n");

        Assert.Equal(
            $"Python config file '{Path.Combine(directory.Path, "gunicorn.conf.py")}': invalid value for post_fork: must accept 2 arguments (server, worker)",
            Assert.Throws<SettingsException>(() => Load()).Message);
    }

    [Fact]
    public void A_missing_python_file_is_an_error_naming_it()
    {
        Assert.Equal("-c/--config: 'missing.py' does not exist", Assert.Throws<SettingsException>(() => Load("-c", "missing.py")).Message);
    }
}
