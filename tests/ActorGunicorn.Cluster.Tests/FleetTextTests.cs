using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class FleetTextTests
{
    [Fact]
    public void The_status_table_has_a_line_per_host_with_its_arbiters_pid_and_under_it_a_line_per_worker_in_aligned_columns()
    {
        var status = new FleetCoordinator.FleetStatus(2, "rolling reload: reloading 10.0.0.2:4053 (2 of 2)",
        [
            new("akka.tcp://actorgunicorn@10.0.0.1:4053", ["arbiter", "eu-west"], "Up", true, 4242, 2, 2,
                [new(101, 1, "Running", TimeSpan.FromSeconds(192), 1042, 100 * 1024 * 1024), new(102, 2, "Running", TimeSpan.FromSeconds(5), 7, 0)]),
            new("akka.tcp://actorgunicorn@10.0.0.2:4053", [], "Unreachable", false, 0, 1, 1, []),
        ]);

        var lines = FleetText.Status(status).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("fleet: 2 hosts, 2 workers, config version 2; rolling reload: reloading 10.0.0.2:4053 (2 of 2)", lines[0]);
        Assert.Equal(
        [
            "HOST          ROLE            MEMBER      HEALTH        PID  UPTIME STATE      REQUESTS  RSS MiB",
            "10.0.0.1:4053 arbiter,eu-west Up          healthy      4242       - -                 -        -  2 desired, config v2",
            "                                                        101   3m12s Running        1042    100.0",
            "                                                        102      5s Running           7      0.0",
            "10.0.0.2:4053 -               Unreachable unhealthy       -       - -                 -        -  1 desired, config v1 (behind v2)",
        ], lines[1..]);
    }

    [Fact]
    public void One_host_with_one_worker_is_counted_in_the_singular()
    {
        var status = new FleetCoordinator.FleetStatus(0, null,
            [new("akka.tcp://actorgunicorn@10.0.0.1:4053", [], "Up", true, 4242, 0, 1, [new(101, 1, "Running", TimeSpan.FromSeconds(1), 0, 0)])]);

        Assert.StartsWith("fleet: 1 host, 1 worker, config version 0\n", FleetText.Status(status), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("akka.tcp://actorgunicorn@127.0.0.1:4051", "127.0.0.1:4051")]
    [InlineData("127.0.0.1:4051", "127.0.0.1:4051")]
    public void A_host_is_shown_by_its_host_and_port(string address, string shown)
    {
        Assert.Equal(shown, FleetText.HostOf(address));
    }
}
