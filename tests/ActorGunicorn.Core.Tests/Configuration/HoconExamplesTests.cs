using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class HoconExamplesTests
{
    public static TheoryData<string> ExampleFiles() =>
        [.. Directory.GetFiles(Repository.PathOf("hocon"), "*.conf").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void There_are_example_files_to_check() =>
        Assert.NotEmpty(ExampleFiles());

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Each_example_loads_and_validates(string file)
    {
        var loaded = SettingsLoader.Load(["-c", Path.Combine("hocon", file), "--check-config"], new Dictionary<string, string?>(), Repository.Root);

        Assert.Equal(RequestedAction.CheckConfig, loaded.Action);
        Assert.NotEqual(ServerSettings.Default, loaded.Settings);
    }

    [Fact]
    public void The_production_example_says_what_its_comments_claim()
    {
        var loaded = SettingsLoader.Load(["-c", "hocon/production.conf"], new Dictionary<string, string?>(), Repository.Root);

        Assert.Equal([new UnixBindAddress("/run/actorgunicorn/actorgunicorn.sock"), new TcpBindAddress("127.0.0.1", 8000)], loaded.Settings.Bind);
        Assert.Equal(4, loaded.Settings.Workers);
        Assert.Equal(TimeSpan.FromSeconds(65), loaded.Settings.KeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(60), loaded.Settings.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(25), loaded.Config.GetTimeSpan("akka.coordinated-shutdown.phases.service-unbind.timeout"));
        Assert.Equal(("/run/actorgunicorn/actorgunicorn.ctl", Convert.ToInt32("660", 8)), (loaded.Settings.ControlSocket, loaded.Settings.ControlSocketMode));
    }

    [Fact]
    public void The_development_example_gives_debuggers_ten_minutes()
    {
        var loaded = SettingsLoader.Load(["-c", "hocon/development.conf", "app:main"], new Dictionary<string, string?>(), Repository.Root);

        Assert.Equal(TimeSpan.FromMinutes(10), loaded.Settings.Timeout);
        Assert.Equal("app:main", loaded.Settings.App);
    }

    [Fact]
    public void The_cluster_example_is_a_clustered_arbiter_with_keep_majority()
    {
        var cluster = SettingsLoader.Load(["-c", "hocon/cluster.conf"], new Dictionary<string, string?>(), Repository.Root).Settings.Cluster;

        Assert.True(cluster.IsClustered);
        Assert.Equal(3, cluster.Seeds.Count);
        Assert.Contains(new ClusterEndpoint(cluster.Host, cluster.Port), cluster.Seeds);
        Assert.Equal("keep-majority", cluster.SplitBrainStrategy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_node_of_the_cluster_sample_has_its_own_ports_and_names_every_node_as_a_seed(int node)
    {
        var settings = SettingsLoader.Load(["-c", $"samples/cluster/node{node}.conf"], new Dictionary<string, string?>(), Repository.Root).Settings;

        Assert.Equal([new TcpBindAddress("127.0.0.1", 8000 + node)], settings.Bind);
        Assert.Equal(4050 + node, settings.Cluster.Port);
        Assert.Equal([4051, 4052, 4053], settings.Cluster.Seeds.Select(s => s.Port));
    }
}
