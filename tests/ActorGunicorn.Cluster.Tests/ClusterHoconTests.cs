using Akka.Configuration;
using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class ClusterHoconTests
{
    [Fact]
    public void The_split_brain_resolver_and_failure_detector_follow_the_settings()
    {
        var settings = ServerSettings.Create(ConfigurationFactory.ParseString("""
            actorgunicorn {
              cluster-seeds = ["10.0.0.1:4053"]
              cluster-split-brain = static-quorum
              cluster-quorum-size = 3
              cluster-stable-after = 1.5
              cluster-heartbeat-pause = 4
            }
            """)).Cluster;

        var config = ConfigurationFactory.ParseString(ClusterHocon.Render(settings));

        Assert.Equal("static-quorum", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(3, config.GetInt("akka.cluster.split-brain-resolver.static-quorum.quorum-size"));
        Assert.Equal(TimeSpan.FromSeconds(1.5), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromSeconds(4), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"), StringComparison.Ordinal);
        Assert.False(config.GetBoolean("akka.cluster.run-coordinated-shutdown-when-down"));
    }

    [Fact]
    public void A_server_without_seeds_is_not_clustered_and_keep_majority_is_the_default()
    {
        var settings = ServerSettings.Default.Cluster;

        Assert.False(settings.IsClustered);
        Assert.Equal("keep-majority", settings.SplitBrainStrategy);
        Assert.Equal(["arbiter"], settings.Roles);
    }

    [Fact]
    public void A_seed_that_is_not_host_and_port_is_a_settings_error_naming_the_flag()
    {
        var error = Assert.Throws<SettingsException>(() => ServerSettings.Create(ConfigurationFactory.ParseString("actorgunicorn.cluster-seeds = [\"10.0.0.1\"]")));

        Assert.Contains("--cluster-seed", error.Message, StringComparison.Ordinal);
        Assert.Contains("'10.0.0.1' is not HOST:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seed_address_names_the_arbiters_actor_system()
    {
        Assert.Equal("akka.tcp://actorgunicorn@10.0.0.1:4053", ClusterHocon.AddressOf(new ClusterEndpoint("10.0.0.1", 4053)));
    }
}
