using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

/// <summary>
/// <see cref="ArbiterDecisions.ScaleWorkers"/>, tick by tick: each call is one tick of the arbiter, fed the state the
/// previous one returned.
/// </summary>
public sealed class ScaleWorkersTests
{
    private const long Second = 1000;

    // -w 1 --max-workers 3, one thread per worker, a 20 s scale-down period, one-second ticks.
    private static readonly ScalingLimits OneToThree = new(Floor: 1, Ceiling: 3, Threads: 1, ScaleDownAfter: TimeSpan.FromSeconds(20), Tick: TimeSpan.FromSeconds(1));

    private static WorkerView Serving(int id, double load) => new(id, 100 + id, id, 0, false, WorkerPhase.Running, Load: load);

    private static WorkerView Booting(int id) => new(id, 100 + id, id, 0, false, WorkerPhase.Booting);

    private static WorkerView[] Busy(int count) => [.. Enumerable.Range(1, count).Select(id => Serving(id, load: 4.0))];

    private static WorkerView[] Quiet(int count, double load = 0) => [.. Enumerable.Range(1, count).Select(id => Serving(id, load))];

    private static ScaleDecision Tick(int current, WorkerView[] workers, ScalingState state, long nowMs, int? queued = 0, ScalingLimits? limits = null) =>
        ArbiterDecisions.ScaleWorkers(limits ?? OneToThree, current, workers, queued, state, nowMs);

    [Fact]
    public void A_worker_is_added_when_every_worker_was_busy_at_two_ticks_in_a_row()
    {
        var first = Tick(1, Busy(1), ScalingState.Fresh, 0);
        var second = Tick(1, Busy(1), first.State, Second);

        Assert.Equal((1, null), (first.Workers, first.Reason));
        Assert.Equal((2, "its one worker busy for 2 s"), (second.Workers, second.Reason));
        Assert.Equal("all 2 workers busy for 2 s", Tick(2, Busy(2), Tick(2, Busy(2), ScalingState.Fresh, 0).State, Second).Reason);
    }

    [Fact]
    public void A_one_tick_spike_adds_no_worker()
    {
        var spike = Tick(1, Busy(1), ScalingState.Fresh, 0);
        var after = Tick(1, Quiet(1, load: 0.3), spike.State, Second);
        var nextSpike = Tick(1, Busy(1), after.State, 2 * Second);

        Assert.Equal([1, 1, 1], new[] { spike.Workers, after.Workers, nextSpike.Workers });
        Assert.Equal(1, nextSpike.State.PressureTicks);
    }

    [Fact]
    public void Connections_waiting_in_the_accept_queue_at_two_ticks_add_a_worker_even_when_the_workers_look_idle()
    {
        var first = Tick(1, Quiet(1), ScalingState.Fresh, 0, queued: 5);
        var second = Tick(1, Quiet(1), first.State, Second, queued: 3);

        Assert.Equal((2, "connections waiting to be accepted for 2 s"), (second.Workers, second.Reason));
    }

    [Fact]
    public void A_worker_busy_most_of_the_time_counts_as_busy_but_one_idle_worker_means_nobody_waits()
    {
        WorkerView[] ninetyPercent = [Serving(1, 0.95), Serving(2, 0.9)];
        WorkerView[] oneIdle = [Serving(1, 3.0), Serving(2, 0.1)];

        Assert.Equal(3, Tick(2, ninetyPercent, Tick(2, ninetyPercent, ScalingState.Fresh, 0).State, Second).Workers);
        Assert.Equal(2, Tick(2, oneIdle, Tick(2, oneIdle, ScalingState.Fresh, 0).State, Second).Workers);
    }

    [Fact]
    public void Busy_is_measured_against_each_workers_threads()
    {
        var fourThreads = OneToThree with { Threads = 4 };
        WorkerView[] threeOfFour = [Serving(1, 3.0)];
        WorkerView[] fourOfFour = [Serving(1, 3.8)];

        Assert.Equal(1, Tick(1, threeOfFour, Tick(1, threeOfFour, ScalingState.Fresh, 0, limits: fourThreads).State, Second, limits: fourThreads).Workers);
        Assert.Equal(2, Tick(1, fourOfFour, Tick(1, fourOfFour, ScalingState.Fresh, 0, limits: fourThreads).State, Second, limits: fourThreads).Workers);
    }

    [Fact]
    public void The_count_never_rises_above_the_ceiling()
    {
        var state = ScalingState.Fresh;
        for (long tick = 0; tick < 10; tick++)
        {
            var decision = Tick(3, Busy(3), state, tick * Second, queued: 100);
            Assert.Equal((3, null), (decision.Workers, decision.Reason));
            state = decision.State;
        }
    }

    [Fact]
    public void Workers_are_added_one_at_a_time_the_next_only_once_the_last_serves_and_was_measured()
    {
        var added = Tick(1, Busy(1), Tick(1, Busy(1), ScalingState.Fresh, 0).State, Second);
        Assert.Equal(2, added.Workers);

        // The new worker boots, then serves without a measure yet: the old one being busy changes nothing.
        var booting = Tick(2, [Serving(1, 4.0), Booting(2)], added.State, 2 * Second, queued: 9);
        var unmeasured = Tick(2, [Serving(1, 4.0), Serving(2, 0) with { Load = null }], booting.State, 3 * Second, queued: 9);
        Assert.Equal((2, 0), (booting.Workers, booting.State.PressureTicks));
        Assert.Equal((2, 0), (unmeasured.Workers, unmeasured.State.PressureTicks));

        // Measured and both busy: two more ticks, as for the first.
        var once = Tick(2, Busy(2), unmeasured.State, 4 * Second);
        var twice = Tick(2, Busy(2), once.State, 5 * Second);
        Assert.Equal((2, 3), (once.Workers, twice.Workers));
    }

    [Fact]
    public void A_worker_leaves_once_the_load_has_been_low_for_the_whole_period_and_the_next_one_period_later()
    {
        var state = ScalingState.Fresh;
        var decisions = new List<(long At, int Workers, string? Reason)>();
        int current = 3;
        for (long tick = 0; tick <= 45; tick++)
        {
            var decision = Tick(current, Quiet(current), state, tick * Second);
            if (decision.Workers != current)
            {
                decisions.Add((tick, decision.Workers, decision.Reason));
            }

            current = decision.Workers;
            state = decision.State;
        }

        // 3 -> 2 after 20 s of calm; the count of the next period starts at the next tick; never below the floor.
        Assert.Equal([(20, 2, "idle for 20 s"), (41, 1, "idle for 20 s")], decisions);
    }

    [Fact]
    public void Some_load_that_fits_in_one_worker_fewer_is_named_as_such()
    {
        var start = Tick(3, Quiet(3, load: 0.3), ScalingState.Fresh, 0);
        var end = Tick(3, Quiet(3, load: 0.3), start.State, 20 * Second);

        Assert.Equal((2, "2 workers enough for 20 s"), (end.Workers, end.Reason));
    }

    [Fact]
    public void A_load_above_half_of_one_worker_fewer_keeps_every_worker()
    {
        // Two workers at 0.6 each: one worker would be busy 120% of the time; three at 0.4: two would be 60% busy.
        Assert.Null(Tick(2, Quiet(2, load: 0.6), Tick(2, Quiet(2, load: 0.6), ScalingState.Fresh, 0).State, 60 * Second).State.CalmSinceMs);
        Assert.Null(Tick(3, Quiet(3, load: 0.4), Tick(3, Quiet(3, load: 0.4), ScalingState.Fresh, 0).State, 60 * Second).State.CalmSinceMs);
    }

    [Fact]
    public void Any_busier_tick_starts_the_period_again()
    {
        var calm = Tick(2, Quiet(2), ScalingState.Fresh, 0);
        var burst = Tick(2, Quiet(2, load: 0.8), calm.State, 15 * Second);
        var calmAgain = Tick(2, Quiet(2), burst.State, 16 * Second);
        var stillThere = Tick(2, Quiet(2), calmAgain.State, 35 * Second);
        var gone = Tick(2, Quiet(2), stillThere.State, 36 * Second);

        Assert.Equal((2, 2, 1), (burst.Workers, stillThere.Workers, gone.Workers));
    }

    [Fact]
    public void The_count_never_falls_below_the_floor()
    {
        var state = ScalingState.Fresh;
        for (long tick = 0; tick < 100; tick++)
        {
            var decision = Tick(1, Quiet(1), state, tick * Second);
            Assert.Equal(1, decision.Workers);
            state = decision.State;
        }

        var floorOfTwo = OneToThree with { Floor = 2 };
        Assert.Equal(2, Tick(2, Quiet(2), Tick(2, Quiet(2), ScalingState.Fresh, 0, limits: floorOfTwo).State, 60 * Second, limits: floorOfTwo).Workers);
    }

    [Fact]
    public void Nothing_is_decided_or_remembered_while_a_worker_is_being_replaced_or_when_no_worker_is_wanted()
    {
        WorkerView[] reloading = [Serving(1, 4.0) with { Replaceable = true }, Serving(2, 4.0)];
        var pressed = Tick(2, Busy(2), ScalingState.Fresh, 0);

        var duringReload = Tick(2, reloading, pressed.State, Second);
        var afterWinch = Tick(0, [], pressed.State, Second, queued: 50);

        Assert.Equal((2, ScalingState.Fresh), (duringReload.Workers, duringReload.State));
        Assert.Equal((0, ScalingState.Fresh), (afterWinch.Workers, afterWinch.State));
    }

    [Fact]
    public void Leaving_workers_are_not_capacity()
    {
        WorkerView[] oneLeaving = [Serving(1, 0) with { Phase = WorkerPhase.Leaving }, Serving(2, 4.0)];

        Assert.Equal(3, Tick(2, oneLeaving, Tick(2, oneLeaving, ScalingState.Fresh, 0).State, Second).Workers);
    }

    [Fact]
    public void Workers_added_by_hand_above_the_ceiling_are_never_joined_by_more_and_leave_when_the_load_is_low()
    {
        // TTIN twice at -w 1 --max-workers 3 with three running: floor 3, five workers.
        var raised = OneToThree with { Floor = 3 };

        Assert.Equal(5, Tick(5, Busy(5), Tick(5, Busy(5), ScalingState.Fresh, 0, limits: raised).State, Second, limits: raised).Workers);
        Assert.Equal(4, Tick(5, Quiet(5), Tick(5, Quiet(5), ScalingState.Fresh, 0, limits: raised).State, 20 * Second, limits: raised).Workers);
    }
}
