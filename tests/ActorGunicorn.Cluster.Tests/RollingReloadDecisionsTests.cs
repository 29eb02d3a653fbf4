using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class RollingReloadDecisionsTests
{
    private const string A = "akka.tcp://actorgunicorn@10.0.0.1:4053";
    private const string B = "akka.tcp://actorgunicorn@10.0.0.2:4053";
    private const string C = "akka.tcp://actorgunicorn@10.0.0.3:4053";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static RolloutHost[] AllHealthy => [new(A, true, true), new(B, true, true), new(C, true, true)];

    [Fact]
    public void A_rolling_reload_starts_with_the_first_host_when_every_host_is_healthy()
    {
        var step = RollingReloadDecisions.Next(Rollout.Of([A, B, C]), AllHealthy, nowMs: 0, Timeout);

        Assert.Equal(new RolloutStep.ReloadHost(A), step);
    }

    [Fact]
    public void While_a_host_reloads_the_next_one_waits()
    {
        var rollout = Rollout.Of([A, B, C]).Start(nowMs: 1000);

        var step = RollingReloadDecisions.Next(rollout, AllHealthy, nowMs: 5000, Timeout);

        Assert.IsType<RolloutStep.Wait>(step);
    }

    [Fact]
    public void The_next_host_is_reloaded_once_the_previous_one_serves_with_new_workers()
    {
        var rollout = Rollout.Of([A, B, C]).Start(nowMs: 1000).CompleteCurrent();

        var step = RollingReloadDecisions.Next(rollout, AllHealthy, nowMs: 5000, Timeout);

        Assert.Equal(new RolloutStep.ReloadHost(B), step);
        Assert.Equal([A], rollout.Done);
    }

    [Fact]
    public void A_host_is_not_reloaded_while_another_host_is_unhealthy_so_capacity_stays_at_n_minus_one()
    {
        var rollout = Rollout.Of([A, B, C]).Start(0).CompleteCurrent();
        RolloutHost[] hosts = [new(A, true, Healthy: false), new(B, true, true), new(C, true, true)];

        var step = RollingReloadDecisions.Next(rollout, hosts, nowMs: 100, Timeout);

        var wait = Assert.IsType<RolloutStep.Wait>(step);
        Assert.Contains("10.0.0.1:4053", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unhealthy_host_may_itself_be_reloaded_since_that_takes_no_capacity_away()
    {
        RolloutHost[] hosts = [new(A, true, Healthy: false), new(B, true, true), new(C, true, true)];

        var step = RollingReloadDecisions.Next(Rollout.Of([A, B, C]), hosts, nowMs: 0, Timeout);

        Assert.Equal(new RolloutStep.ReloadHost(A), step);
    }

    [Fact]
    public void A_host_that_left_the_cluster_before_its_turn_is_skipped()
    {
        var rollout = Rollout.Of([A, B]);
        RolloutHost[] hosts = [new(B, true, true)];

        var step = RollingReloadDecisions.Next(rollout, hosts, 0, Timeout);

        Assert.Equal(new RolloutStep.SkipHost(A), step);
        Assert.Equal([A], rollout.SkipNext().Skipped);
        Assert.Equal([B], rollout.SkipNext().Pending);
    }

    [Fact]
    public void A_host_that_leaves_during_its_reload_is_skipped_and_the_others_are_reloaded()
    {
        var rollout = Rollout.Of([A, B]).Start(0);
        RolloutHost[] hosts = [new(A, IsMember: false, false), new(B, true, true)];

        Assert.Equal(new RolloutStep.SkipCurrentHost(A), RollingReloadDecisions.Next(rollout, hosts, 10, Timeout));
        var skipped = rollout.SkipCurrent();
        Assert.Equal([A], skipped.Skipped);
        Assert.Null(skipped.Current);
        Assert.Equal(new RolloutStep.ReloadHost(B), RollingReloadDecisions.Next(skipped, hosts, 10, Timeout));
    }

    [Fact]
    public void A_host_that_cannot_be_reached_is_never_told_to_reload_and_is_waited_for_until_removed()
    {
        var rollout = Rollout.Of([A, B]);
        RolloutHost[] unreachable = [new(A, true, false, Reachable: false), new(B, true, true)];

        Assert.Contains("unreachable", Assert.IsType<RolloutStep.Wait>(RollingReloadDecisions.Next(rollout, unreachable, 0, Timeout)).Reason, StringComparison.Ordinal);
        Assert.Equal(new RolloutStep.SkipHost(A), RollingReloadDecisions.Next(rollout, [new(B, true, true)], 0, Timeout));
    }

    [Fact]
    public void A_host_slower_than_the_timeout_stops_the_rolling_reload()
    {
        var rollout = Rollout.Of([A, B]).Start(0);

        Assert.IsType<RolloutStep.Wait>(RollingReloadDecisions.Next(rollout, AllHealthy, 120_000, Timeout));
        Assert.Contains("within 120 s", Assert.IsType<RolloutStep.Failed>(RollingReloadDecisions.Next(rollout, AllHealthy, 120_001, Timeout)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rolling_reload_is_finished_when_no_host_is_left()
    {
        var rollout = Rollout.Of([A]).Start(0).CompleteCurrent();

        Assert.Same(RolloutStep.Finished.Instance, RollingReloadDecisions.Next(rollout, AllHealthy, 1, Timeout));
    }

    [Fact]
    public void The_progress_line_names_the_host_being_reloaded_and_its_place()
    {
        var rollout = Rollout.Of([A, B, C]).Start(0).CompleteCurrent().Start(1);

        Assert.Equal("rolling reload: reloading 10.0.0.2:4053 (2 of 3)", rollout.Describe());
    }
}
