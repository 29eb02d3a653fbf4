using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

public sealed class ArbiterDecisionsTests
{
    private static WorkerView Worker(int id, int age, long lastSeenMs = 0, bool aborted = false, bool leaving = false, int pid = 100) =>
        new(id, pid + id, age, lastSeenMs, aborted, leaving);

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

    [Fact]
    public void An_exit_while_the_server_stops_is_not_respawned()
    {
        Assert.IsType<ExitDecision.Forget>(ArbiterDecisions.OnUnexpectedExit(new WorkerExit(42, 137), serverStopping: true));
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
