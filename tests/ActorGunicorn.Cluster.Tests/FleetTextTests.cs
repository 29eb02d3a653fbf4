using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class FleetTextTests
{
    [Fact]
    public void The_status_table_has_a_line_per_host_with_its_arbiters_pid_and_under_it_a_line_per_worker_in_aligned_columns()
    {
        var status = new FleetCoordinator.FleetStatus(2, "rolling reload: reloading 10.0.0.3:4053 (2 of 3)",
        [
            new("akka.tcp://actorgunicorn@10.0.0.1:4053", ["arbiter", "eu-west"], "Up", true, 4242, 2, 2, 2, TimeSpan.FromSeconds(0.4),
                [new(101, 1, "Running", TimeSpan.FromSeconds(192), 1042, 100 * 1024 * 1024), new(102, 2, "Running", TimeSpan.FromSeconds(5), 7, 0)]),
            new("akka.tcp://actorgunicorn@10.0.0.2:4053", [], "Unreachable", false, 4300, 1, 1, 1, TimeSpan.FromSeconds(12),
                [new(201, 1, "Running", TimeSpan.FromSeconds(60), 5, 0)]),
            new("akka.tcp://actorgunicorn@10.0.0.3:4053", [], "Up", true, 4400, 2, 1, 1, TimeSpan.FromSeconds(1), []),
        ], ["10.0.0.4:4053"]);

        var lines = FleetText.Status(status).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("fleet: 3 hosts, 3 workers, config version 2; waiting for 10.0.0.4:4053 to join; rolling reload: reloading 10.0.0.3:4053 (2 of 3)", lines[0]);
        Assert.Equal(
        [
            "HOST          ROLE            MEMBER      HEALTH        PID  UPTIME STATE       REQUESTS  RSS MiB",
            "10.0.0.1:4053 arbiter,eu-west Up          healthy      4242       - -                  -        -  2 desired, config v2",
            "                                                        101   3m12s Running         1042    100.0",
            "                                                        102      5s Running            7      0.0",
            // Its last report is 12 s old: its rows are what it last said, and say so.
            "10.0.0.2:4053 -               Unreachable unhealthy    4300       - -                  -        -  1 desired, config v1 (behind v2); stale: last report 12s ago",
            "                                                        201   1m00s Running?           5      0.0",
            // It holds the new overlay and has not reloaded yet.
            "10.0.0.3:4053 -               Up          healthy      4400       - -                  -        -  1 desired, config v1 (v2 on its next reload)",
        ], lines[1..]);
    }

    [Fact]
    public void One_host_with_one_worker_is_counted_in_the_singular()
    {
        var status = new FleetCoordinator.FleetStatus(0, null,
            [new("akka.tcp://actorgunicorn@10.0.0.1:4053", [], "Up", true, 4242, 0, 0, 1, TimeSpan.Zero, [new(101, 1, "Running", TimeSpan.FromSeconds(1), 0, 0)])], []);

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
