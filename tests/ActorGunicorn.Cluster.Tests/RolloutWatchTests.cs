using ActorGunicorn.Cluster.Ctl;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class RolloutWatchTests
{
    private const long Start = 1_000_000;

    private static long After(double seconds) => Start + (long)(seconds * 1000);

    [Fact]
    public void A_coordinator_that_keeps_reporting_progress_never_loses_the_rollout()
    {
        var watch = new RolloutWatch(Start);
        for (var second = 1; second <= 600; second++)
        {
            watch.Running(After(second), $"rolling reload: {second} of 600 hosts done");
            Assert.Null(watch.LostBy(After(second)));
        }
    }

    [Fact]
    public void While_no_coordinator_answers_the_caller_waits_50_s_from_the_last_answer_for_the_cluster_to_move_it()
    {
        var watch = new RolloutWatch(Start);
        watch.Running(After(2), "rolling reload: 1 of 3 hosts done");

        Assert.Null(watch.LostBy(After(51.9)));
        var lost = watch.LostBy(After(52.1));

        Assert.Equal(
            "no fleet coordinator has answered for 50 s (the cluster has not moved it off the node that left; are most hosts up?); "
            + "it was at: rolling reload: 1 of 3 hosts done",
            lost);
    }

    [Fact]
    public void A_successor_that_does_not_know_the_rollout_is_given_15_s_for_the_agents_reports_then_the_rollout_is_lost()
    {
        var watch = new RolloutWatch(Start);
        watch.Unknown(After(30));
        watch.Unknown(After(40));
        Assert.Null(watch.LostBy(After(44.9)));

        watch.Unknown(After(45.1));

        Assert.Equal(
            "the fleet's coordinator has not known the rolling reload for 15 s (the one that ran it left the cluster before handing it on); "
            + "no progress was reported before",
            watch.LostBy(After(45.1)));
    }

    [Fact]
    public void A_successor_that_resumes_the_rollout_after_first_not_knowing_it_clears_the_doubt()
    {
        var watch = new RolloutWatch(Start);
        watch.Unknown(After(20));
        watch.Running(After(30), "rolling reload: 0 of 3 hosts done");
        watch.Unknown(After(31));

        Assert.Null(watch.LostBy(After(45)));
    }

    [Fact]
    public void A_successor_that_does_not_know_the_rollout_for_5_s_is_sent_it_once_more_and_given_15_s_anew()
    {
        var watch = new RolloutWatch(Start);
        watch.Unknown(After(20));
        Assert.False(watch.TakeResend(After(24.9)));

        Assert.True(watch.TakeResend(After(25.1)));
        Assert.False(watch.TakeResend(After(26)));
        watch.Unknown(After(26));
        watch.Unknown(After(40.9));
        watch.Unknown(After(41.1));

        Assert.False(watch.TakeResend(After(41.1)));
        Assert.Null(watch.LostBy(After(40.9)));
        Assert.NotNull(watch.LostBy(After(41.1)));
    }
}
