using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

public sealed class ArbiterDecisionsTests
{
    private static WorkerView Worker(int id, int age, long lastSeenMs = 0, bool aborted = false, bool leaving = false, int pid = 100, bool booting = false, bool replaceable = false) =>
        new(id, pid + id, age, lastSeenMs, aborted, leaving ? WorkerPhase.Leaving : booting ? WorkerPhase.Booting : WorkerPhase.Running, replaceable);

    [Fact]
    public void Manage_workers_spawns_the_missing_workers()
    {
        var plan = ArbiterDecisions.ManageWorkers(3, [Worker(1, age: 1)]);

        Assert.Equal(2, plan.Spawn);
        Assert.Empty(plan.Retire);
    }

    [Fact]
    public void Manage_workers_retires_the_oldest_first_when_there_are_too_many()
    {
        var plan = ArbiterDecisions.ManageWorkers(1, [Worker(1, age: 7), Worker(2, age: 3), Worker(3, age: 5)]);

        Assert.Equal(0, plan.Spawn);
        Assert.Equal([2, 3], plan.Retire);
    }

    [Fact]
    public void Manage_workers_replaces_a_leaving_worker_at_once()
    {
        var plan = ArbiterDecisions.ManageWorkers(2, [Worker(1, age: 1, leaving: true), Worker(2, age: 2)]);

        Assert.Equal(1, plan.Spawn);
        Assert.Empty(plan.Retire);
    }

    [Fact]
    public void Manage_workers_does_nothing_at_the_desired_count()
    {
        var plan = ArbiterDecisions.ManageWorkers(2, [Worker(1, age: 1), Worker(2, age: 2)]);

        Assert.Equal(0, plan.Spawn);
        Assert.Empty(plan.Retire);
    }

    [Fact]
    public void A_reload_spawns_a_full_new_generation_before_retiring_anything()
    {
        var plan = ArbiterDecisions.ManageWorkers(2, [Worker(1, age: 1, replaceable: true), Worker(2, age: 2, replaceable: true)]);

        Assert.Equal(2, plan.Spawn);
        Assert.Empty(plan.Retire);
    }

    [Fact]
    public void A_replaceable_worker_is_retired_only_when_a_serving_replacement_covers_it_oldest_first()
    {
        WorkerView[] oneNewServing = [Worker(1, age: 1, replaceable: true), Worker(2, age: 2, replaceable: true), Worker(3, age: 3), Worker(4, age: 4, booting: true)];
        WorkerView[] bothNewServing = [Worker(2, age: 2, replaceable: true), Worker(3, age: 3), Worker(4, age: 4), Worker(1, age: 1, leaving: true)];

        var first = ArbiterDecisions.ManageWorkers(2, oneNewServing);
        Assert.Equal(0, first.Spawn);
        Assert.Equal([1], first.Retire);
        Assert.Equal([2], ArbiterDecisions.ManageWorkers(2, bothNewServing).Retire);
    }

    [Fact]
    public void A_recycled_single_worker_serves_until_its_replacement_does()
    {
        WorkerView[] replacementBooting = [Worker(1, age: 1, replaceable: true), Worker(2, age: 2, booting: true)];
        WorkerView[] replacementServing = [Worker(1, age: 1, replaceable: true), Worker(2, age: 2)];

        Assert.Equal((0, 0), (ArbiterDecisions.ManageWorkers(1, replacementBooting).Spawn, ArbiterDecisions.ManageWorkers(1, replacementBooting).Retire.Count));
        Assert.Equal([1], ArbiterDecisions.ManageWorkers(1, replacementServing).Retire);
    }

    [Fact]
    public void A_replaceable_worker_still_booting_is_kept_until_a_serving_worker_covers_it()
    {
        WorkerView[] bothBooting = [Worker(1, age: 1, booting: true, replaceable: true), Worker(2, age: 2, booting: true)];

        Assert.Empty(ArbiterDecisions.ManageWorkers(1, bothBooting).Retire);
    }

    [Fact]
    public void A_covered_replaceable_worker_that_is_not_serving_yet_is_retired_before_a_serving_one()
    {
        var oneCovered = ArbiterDecisions.ManageWorkers(2, [Worker(1, age: 1, replaceable: true), Worker(2, age: 2, booting: true, replaceable: true), Worker(3, age: 3), Worker(4, age: 4, booting: true)]);
        var bothCovered = ArbiterDecisions.ManageWorkers(1, [Worker(1, age: 1, replaceable: true), Worker(2, age: 2, booting: true, replaceable: true), Worker(3, age: 3)]);

        Assert.Equal(0, oneCovered.Spawn);
        Assert.Equal([2], oneCovered.Retire);
        Assert.Equal([2, 1], bothCovered.Retire);
    }

    [Fact]
    public void Scaling_to_zero_retires_every_worker()
    {
        Assert.Equal([1, 2], ArbiterDecisions.ManageWorkers(0, [Worker(2, age: 2), Worker(1, age: 1)]).Retire);
    }

    [Fact]
    public void Murder_workers_aborts_a_worker_silent_for_longer_than_the_timeout()
    {
        var actions = ArbiterDecisions.MurderWorkers(TimeSpan.FromSeconds(30), nowMs: 40_000, [Worker(1, 1, lastSeenMs: 9_999), Worker(2, 2, lastSeenMs: 10_000)]);

        Assert.Equal([new TimeoutAction(1, Kill: false)], actions);
    }

    [Fact]
    public void Murder_workers_kills_a_worker_still_silent_after_its_abort()
    {
        var actions = ArbiterDecisions.MurderWorkers(TimeSpan.FromSeconds(30), nowMs: 50_000, [Worker(1, 1, lastSeenMs: 0, aborted: true)]);

        Assert.Equal([new TimeoutAction(1, Kill: true)], actions);
    }

    [Fact]
    public void Murder_workers_is_disabled_by_a_zero_timeout()
    {
        var actions = ArbiterDecisions.MurderWorkers(TimeSpan.Zero, nowMs: 1_000_000, [Worker(1, 1, lastSeenMs: 0)]);

        Assert.Empty(actions);
    }

    [Fact]
    public void Murder_workers_ignores_a_slot_whose_process_is_not_spawned_yet()
    {
        var actions = ArbiterDecisions.MurderWorkers(TimeSpan.FromSeconds(1), nowMs: 1_000_000, [Worker(1, 1, lastSeenMs: 0, pid: -1)]);

        Assert.Empty(actions);
    }

    [Theory]
    [InlineData(3, 3, "Worker failed to boot.")]
    [InlineData(4, 4, "App failed to load.")]
    public void A_boot_or_app_load_failure_halts_the_server_with_the_same_code(int exitCode, int haltCode, string reason)
    {
        var decision = ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, exitCode), serverStopping: false);

        Assert.Equal(new ExitDecision.Halt(haltCode, reason), decision);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(137)]
    public void Any_other_unexpected_exit_is_respawned(int exitCode)
    {
        Assert.IsType<ExitDecision.Respawn>(ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, exitCode), serverStopping: false));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(137)]
    public void Any_exit_of_a_worker_from_an_abandoned_reload_is_forgotten(int exitCode)
    {
        var decision = ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, exitCode), serverStopping: false, fromAbandonedReload: true);

        Assert.IsType<ExitDecision.Forget>(decision);
    }

    [Fact]
    public void An_exit_while_the_server_stops_is_not_respawned()
    {
        Assert.IsType<ExitDecision.Forget>(ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, 137), serverStopping: true));
    }

    [Theory]
    [InlineData(3, "Worker failed to boot.")]
    [InlineData(4, "App failed to load.")]
    public void A_boot_failure_of_a_reloaded_worker_abandons_the_reload_instead_of_halting(int exitCode, string reason)
    {
        var decision = ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, exitCode), serverStopping: false, fromPendingReload: true);

        Assert.Equal(new ExitDecision.AbandonReload(reason), decision);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(40, 30)]
    public void With_respawn_failed_workers_a_boot_failure_is_retried_after_a_doubling_backoff_capped_at_30_s(int failedBoots, int seconds)
    {
        var decision = ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, 3), serverStopping: false, respawnFailedWorkers: true, failedBoots: failedBoots);

        Assert.Equal(new ExitDecision.RespawnAfter(TimeSpan.FromSeconds(seconds)), decision);
    }

    [Fact]
    public void A_crash_is_respawned_at_once_even_with_respawn_failed_workers()
    {
        Assert.IsType<ExitDecision.Respawn>(ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, 137), serverStopping: false, respawnFailedWorkers: true, failedBoots: 3));
    }

    [Fact]
    public void A_worker_above_max_worker_memory_is_recycled_and_one_below_is_not()
    {
        const long limit = 100L * 1024 * 1024;

        Assert.Equal("max-worker-memory: RSS 150 MiB is above 100 MiB", ArbiterDecisions.RecycleReason(limit, 150L * 1024 * 1024, lifetimeDeadlineMs: 0, nowMs: 5));
        Assert.Null(ArbiterDecisions.RecycleReason(limit, limit, lifetimeDeadlineMs: 0, nowMs: 5));
        Assert.Null(ArbiterDecisions.RecycleReason(limit, residentBytes: null, lifetimeDeadlineMs: 0, nowMs: 5));
        Assert.Null(ArbiterDecisions.RecycleReason(0, long.MaxValue, lifetimeDeadlineMs: 0, nowMs: 5));
    }

    [Fact]
    public void A_worker_past_its_lifetime_deadline_is_recycled()
    {
        Assert.Equal("max-worker-lifetime reached", ArbiterDecisions.RecycleReason(0, null, lifetimeDeadlineMs: 10_000, nowMs: 10_000));
        Assert.Null(ArbiterDecisions.RecycleReason(0, null, lifetimeDeadlineMs: 10_000, nowMs: 9_999));
    }

    [Fact]
    public void The_lifetime_deadline_adds_up_to_a_tenth_per_worker_and_is_zero_when_off()
    {
        var random = new Random(3);
        var deadlines = Enumerable.Range(0, 500).Select(_ => ArbiterDecisions.LifetimeDeadline(TimeSpan.FromSeconds(100), spawnedMs: 1_000, random)).ToList();

        Assert.All(deadlines, d => Assert.InRange(d, 101_000, 111_000));
        Assert.True(deadlines.Distinct().Count() > 100, "workers started together must not share a deadline");
        Assert.Equal(0, ArbiterDecisions.LifetimeDeadline(TimeSpan.Zero, 1_000, random));
    }

    [Fact]
    public void Max_requests_is_zero_when_disabled_whatever_the_jitter()
    {
        Assert.Equal(0, ArbiterDecisions.MaxRequestsFor(0, 100, new Random(1)));
    }

    [Fact]
    public void Max_requests_adds_a_jitter_between_zero_and_the_limit_inclusive()
    {
        var random = new Random(7);
        var budgets = Enumerable.Range(0, 2000).Select(_ => ArbiterDecisions.MaxRequestsFor(1000, 3, random)).ToHashSet();

        Assert.Equal([1000L, 1001L, 1002L, 1003L], budgets.Order());
    }

    [Theory]
    [InlineData(137, false, "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?")]
    [InlineData(137, true, "Worker (pid:42) was sent SIGKILL after its timeout.")]
    [InlineData(143, false, "Worker (pid:42) was sent SIGTERM!")]
    [InlineData(3, false, "Worker (pid:42) exited with code 3.")]
    [InlineData(134, false, "Worker (pid:42) was sent SIGABRT!")]
    public void Exit_descriptions_use_gunicorns_words(int exitCode, bool killedForTimeout, string expected)
    {
        Assert.Equal(expected, ArbiterDecisions.DescribeExit(new WorkerExit(42, exitCode), killedForTimeout).Message);
    }
}
