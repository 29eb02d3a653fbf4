using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class FleetDecisionsTests
{
    private static readonly string[] Hosts = ["a", "b", "c"];

    private static Arbiter.WorkerStatus Worker(int age, string state) => new(1000 + age, age, state, 0, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Per_host_scaling_gives_every_host_the_same_count()
    {
        Assert.Null(FleetDecisions.SplitWorkers(ScaleMode.PerHost, 4, Hosts, out var targets));
        Assert.All(Hosts, h => Assert.Equal(4, targets[h]));
    }

    [Fact]
    public void A_total_is_spread_evenly_and_the_first_hosts_take_the_remainder()
    {
        Assert.Null(FleetDecisions.SplitWorkers(ScaleMode.Total, 8, Hosts, out var targets));
        Assert.Equal([3, 3, 2], Hosts.Select(h => targets[h]));
    }

    [Theory]
    [InlineData(ScaleMode.Total, 2, "from 3 to 300")]
    [InlineData(ScaleMode.PerHost, 0, "from 1 to 100")]
    [InlineData(ScaleMode.PerHost, 101, "from 1 to 100")]
    public void A_count_a_host_cannot_run_is_refused_with_the_range(ScaleMode mode, int count, string range)
    {
        Assert.Contains(range, FleetDecisions.SplitWorkers(mode, count, Hosts, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_without_hosts_is_refused()
    {
        Assert.Equal("no host is up to scale", FleetDecisions.SplitWorkers(ScaleMode.PerHost, 1, [], out _));
    }

    [Fact]
    public void A_reload_is_not_done_while_only_the_old_workers_run()
    {
        var status = new Arbiter.Status(2, 2, 2, [Worker(1, "Replacing"), Worker(2, "Replacing"), Worker(3, "Booting"), Worker(4, "Running")]);

        Assert.False(FleetDecisions.NewWorkersServe(youngestAgeBefore: 2, status));
    }

    [Fact]
    public void A_reload_is_done_when_as_many_new_workers_run_as_are_wanted_even_while_old_ones_drain()
    {
        var status = new Arbiter.Status(2, 2, 2, [Worker(1, "Leaving"), Worker(3, "Running"), Worker(4, "Running")]);

        Assert.True(FleetDecisions.NewWorkersServe(youngestAgeBefore: 2, status));
    }

    [Fact]
    public void The_youngest_age_ignores_slots_that_are_still_spawning()
    {
        Assert.Equal(5, FleetDecisions.YoungestAge(new Arbiter.Status(2, 2, 2, [Worker(5, "Running"), Worker(0, "Booting")])));
        Assert.Equal(0, FleetDecisions.YoungestAge(new Arbiter.Status(1, 1, 1, [])));
    }
}
