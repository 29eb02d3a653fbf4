using ActorGunicorn.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class RenderingTests : IDisposable
{
    private readonly ScratchDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private LoadedConfiguration Load(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        SettingsLoader.Load(args, environment, directory.Path);

    [Fact]
    public void Print_config_lists_every_key_of_the_table_in_table_order()
    {
        var lines = Load(new Dictionary<string, string?>()).RenderEffectiveSettings().Split('\n');
        var keys = lines.Skip(1).TakeWhile(line => line != "}").Select(line => line.Trim().Split(' ')[0]);

        Assert.Equal("actorgunicorn {", lines[0]);
        Assert.Equal(SettingsTable.All.Where(s => s.HoconKey is not null).Select(s => s.HoconKey), keys);
    }

    [Fact]
    public void Print_config_shows_canonical_values()
    {
        var text = Load(new Dictionary<string, string?>(), "-t", "0.5", "-b", "[0::1]", "--log-level", "DEBUG").RenderEffectiveSettings();

        Assert.Contains("  timeout = 500ms\n", text, StringComparison.Ordinal);
        Assert.Contains("  bind = [\"[::1]:8000\"]\n", text, StringComparison.Ordinal);
        Assert.Contains("  loglevel = \"debug\"\n", text, StringComparison.Ordinal);
        Assert.Contains("  pidfile = null\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_config_output_is_a_valid_configuration_file_giving_the_same_settings()
    {
        var loaded = Load(new Dictionary<string, string?>(), "app:main", "-w", "3", "-e", "A=1", "--access-logfile", "-");
        var path = directory.Write("printed.conf", loaded.RenderEffectiveSettings());

        Assert.Equal(loaded.Settings, Load(new Dictionary<string, string?>(), "-c", path).Settings);
    }

    [Fact]
    public void The_worker_configuration_round_trips_to_equal_settings()
    {
        directory.Write("actorgunicorn.conf", """
            actorgunicorn {
              workers = 3
              keepalive = 1500ms
              access-log-format = "%(h)s \"%(r)s\" \\ \t tab"
              raw-env = ["PATH=/usr/bin:/bin", "EMPTY="]
            }
            """);
        var environment = new Dictionary<string, string?> { ["PORT"] = "5000", [SettingsLoader.CommandArgumentsVariable] = "--timeout 0.25" };
        var loaded = Load(environment, "hello:app", "--pid", "/run/x.pid");

        var worker = ServerSettings.Create(ConfigurationFactory.ParseString(loaded.RenderForWorker()).WithFallback(ReferenceConfig.Load()));

        Assert.Equal(loaded.Settings, worker);
        Assert.Equal([new TcpBindAddress("0.0.0.0", 5000)], worker.Bind);
    }

    [Fact]
    public void The_worker_configuration_carries_the_users_other_blocks()
    {
        directory.Write("actorgunicorn.conf", """
            akka {
              loglevel = DEBUG
              actor.deployment { "/user/router" { nr-of-instances = 5 } }
              list = [1, "two", [3]]
              empty-list = []
              empty-object {}
              nothing = null
            }
            custom { "dotted.key" = "x" }
            """);
        var loaded = Load(new Dictionary<string, string?>());

        var worker = SettingsLoader.LoadForWorker(loaded.RenderForWorker()).Config;

        Assert.Equal("DEBUG", worker.GetString("akka.loglevel"));
        Assert.Equal(5, worker.GetInt("akka.actor.deployment.\"/user/router\".nr-of-instances"));
        Assert.Equal(3, worker.GetValue("akka.list").GetArray().Count);
        Assert.Empty(worker.GetValue("akka.empty-list").GetArray());
        Assert.True(worker.HasPath("akka.empty-object"));
        Assert.Null(worker.GetString("akka.nothing"));
        Assert.Equal("x", worker.GetString("custom.\"dotted.key\""));
        Assert.Equal(loaded.Settings, SettingsLoader.LoadForWorker(loaded.RenderForWorker()).Settings);
    }

    [Fact]
    public void A_worker_configuration_that_is_not_hocon_is_a_settings_error() =>
        Assert.StartsWith(
            "cannot parse the worker configuration: ",
            Assert.Throws<SettingsException>(() => SettingsLoader.LoadForWorker("actorgunicorn { } ,")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Loading_never_changes_the_shared_reference_configuration()
    {
        Load(new Dictionary<string, string?> { ["WEB_CONCURRENCY"] = "9" }, "-w", "3", "-b", "a:1");

        Assert.Equal(1, ReferenceConfig.Load().GetInt("actorgunicorn.workers"));
        Assert.Equal(["127.0.0.1:8000"], ReferenceConfig.Load().GetStringList("actorgunicorn.bind"));
    }
}
