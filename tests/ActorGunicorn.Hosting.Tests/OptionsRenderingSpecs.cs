using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>The options become HOCON under the settings table's keys: only what was set, one line per property.</summary>
public sealed class OptionsRenderingSpecs
{
    public static TheoryData<string, Action<ActorGunicornOptions>, string> OneProperty => new()
    {
        { "Bind", o => o.Bind = ["127.0.0.1:0", "unix:/run/app.sock"], "actorgunicorn.bind = [\"127.0.0.1:0\", \"unix:/run/app.sock\"]\n" },
        { "Backlog", o => o.Backlog = 64, "actorgunicorn.backlog = 64\n" },
        { "App", o => o.App = "app:application", "actorgunicorn.app = \"app:application\"\n" },
        { "Workers", o => o.Workers = 3, "actorgunicorn.workers = 3\n" },
        { "MaxWorkers", o => o.MaxWorkers = 6, "actorgunicorn.max-workers = 6\n" },
        { "Threads", o => o.Threads = 4, "actorgunicorn.threads = 4\n" },
        { "WorkerConnections", o => o.WorkerConnections = 50, "actorgunicorn.worker-connections = 50\n" },
        { "Timeout", o => o.Timeout = TimeSpan.FromSeconds(45), "actorgunicorn.timeout = 45s\n" },
        { "GracefulTimeout", o => o.GracefulTimeout = TimeSpan.FromSeconds(5), "actorgunicorn.graceful-timeout = 5s\n" },
        { "KeepAlive", o => o.KeepAlive = TimeSpan.FromSeconds(7), "actorgunicorn.keepalive = 7s\n" },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.FromSeconds(12), "actorgunicorn.request-timeout = 12s\n" },
        { "AccessLog", o => o.AccessLog = "-", "actorgunicorn.accesslog = \"-\"\n" },
        { "Python", o => o.Python = "/usr/bin/python3", "actorgunicorn.python = \"/usr/bin/python3\"\n" },
        { "PythonPath", o => o.PythonPath = "/srv/app,/srv/lib", "actorgunicorn.pythonpath = \"/srv/app,/srv/lib\"\n" },
    };

    [Theory]
    [MemberData(nameof(OneProperty))]
    public void A_set_property_must_render_as_its_settings_table_key_alone(string property, Action<ActorGunicornOptions> set, string expected)
    {
        var options = new ActorGunicornOptions();
        set(options);
        Assert.True(expected == options.ToHocon(), $"{property}: expected {expected} but got {options.ToHocon()}");
    }

    [Fact]
    public void Options_with_nothing_set_must_render_nothing()
    {
        Assert.Equal(string.Empty, new ActorGunicornOptions().ToHocon());
    }

    [Fact]
    public void The_worker_executable_must_not_be_rendered_since_it_is_not_a_server_setting()
    {
        Assert.Equal(string.Empty, new ActorGunicornOptions { WorkerExecutable = "/opt/actorgunicorn" }.ToHocon());
    }

    [Fact]
    public void Several_properties_must_render_in_declaration_order_and_read_back_as_the_settings()
    {
        var options = new ActorGunicornOptions { Workers = 2, Bind = ["127.0.0.1:9001"], GracefulTimeout = TimeSpan.FromSeconds(3) };

        Assert.Equal(
            "actorgunicorn.bind = [\"127.0.0.1:9001\"]\nactorgunicorn.workers = 2\nactorgunicorn.graceful-timeout = 3s\n",
            options.ToHocon());
        var settings = ServerSettings.Create(options.ToConfig());
        Assert.Equal(2, settings.Workers);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.GracefulTimeout);
        Assert.Equal("127.0.0.1:9001", settings.Bind.Single().ToString());
    }

    [Fact]
    public void A_bad_value_must_be_a_settings_error_naming_the_setting_and_the_value()
    {
        var badWorkers = Assert.Throws<SettingsException>(() => new ActorGunicornOptions { Workers = 0 }.ToHocon());
        Assert.Contains("actorgunicorn.workers", badWorkers.Message, StringComparison.Ordinal);
        Assert.Contains("0", badWorkers.Message, StringComparison.Ordinal);

        var badBind = Assert.Throws<SettingsException>(() => new ActorGunicornOptions { Bind = ["127.0.0.1:notaport"] }.ToHocon());
        Assert.Contains("actorgunicorn.bind", badBind.Message, StringComparison.Ordinal);
        Assert.Contains("notaport", badBind.Message, StringComparison.Ordinal);

        var ceilingBelowFloor = Assert.Throws<SettingsException>(() => new ActorGunicornOptions { Workers = 4, MaxWorkers = 2 }.ToHocon());
        Assert.Equal("--max-workers / actorgunicorn.max-workers: '2' must be at least workers (4), or 0 to keep the number of workers fixed", ceilingBelowFloor.Message);
    }
}
