using System.Globalization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Control;
using ActorGunicorn.Core.Tests.Workers;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

/// <summary>
/// The arbiter actor with stand-in worker processes: real processes, real signals and exit codes, real control
/// channels; the spec plays each worker's side.
/// </summary>
public sealed class ArbiterSpecs : TestKit, IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly StandInWorkers _workers = new();
    private readonly RecordingLogger _log = new();
    private readonly TaskCompletionSource<ArbiterOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ArbiterSpecs()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void The_arbiter_must_spawn_its_workers_and_know_them_from_their_heartbeats()
    {
        var arbiter = StartArbiter(workers: 2);
        var first = _workers.Next();
        var second = _workers.Next();

        first.Ready();
        first.Channel.Send(new WorkerHeartbeat(RequestsServed: 42, OpenConnections: 3, ActiveRequests: 1, RssBytes: 50_000_000, LongestRequestMs: 12, RequestTimeMs: 0));
        second.Ready();

        AwaitAssert(() =>
        {
            var status = arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience).Result;
            Assert.Equal(2, status.DesiredWorkers);
            Assert.Equal(new[] { first.Pid, second.Pid }.Order(), status.Workers.Select(w => w.Pid).Order());
            Assert.All(status.Workers, w => Assert.Equal("Running", w.State));
            var reporting = status.Workers.Single(w => w.Pid == first.Pid);
            Assert.Equal((42L, 3, 50_000_000L, 12L), (reporting.RequestsServed, reporting.OpenConnections, reporting.RssBytes, reporting.LongestRequestMs));
        }, Patience);
    }

    [Fact]
    public void A_worker_that_dies_must_be_respawned_by_the_supervisor_strategy_and_its_death_logged()
    {
        StartArbiter(workers: 1);
        var victim = _workers.Next();
        victim.Ready();

        victim.Signal(SigKill);
        var replacement = _workers.Next();

        Assert.NotEqual(victim.Pid, replacement.Pid);
        Assert.True(replacement.Age > victim.Age);
        Assert.Contains(_log.Entries, e => e.Message == $"Worker (pid:{victim.Pid}) was sent SIGKILL! Perhaps out of memory?");
    }

    [Theory]
    [InlineData(3, "Worker failed to boot.")]
    [InlineData(4, "App failed to load.")]
    public async Task A_worker_exiting_with_a_boot_or_load_error_must_halt_the_arbiter_with_that_code(int code, string reason)
    {
        _workers.Command = ["sh", "-c", $"exit {code}"];
        var arbiter = StartArbiter(workers: 2);
        Watch(arbiter);

        var outcome = await _outcome.Task.WaitAsync(Patience);

        Assert.Equal(new ArbiterOutcome(code, reason), outcome);
        ExpectTerminated(arbiter, Patience);
        Assert.True(_workers.Count <= 2, $"{_workers.Count} workers spawned: a halt must not respawn");
    }

    [Fact]
    public async Task Term_must_ask_every_worker_for_a_graceful_stop_and_finish_with_zero_once_they_exit()
    {
        var arbiter = StartArbiter(workers: 2);
        var workers = new[] { _workers.Next(), _workers.Next() };
        foreach (var worker in workers)
        {
            worker.Ready();
        }

        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Term));

        foreach (var worker in workers)
        {
            Assert.Equal(new StopWorker(Graceful: true, DrainBacklog: true), await NextCommandAsync(worker));
            Assert.False(_outcome.Task.IsCompleted);
            worker.Signal(SigTerm);
        }

        Assert.Equal(new ArbiterOutcome(0, null), await _outcome.Task.WaitAsync(Patience));
        Assert.True(_workers.NoneSpawnedWithin(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Ttin_must_add_a_worker_and_ttou_must_retire_the_oldest()
    {
        var arbiter = StartArbiter(workers: 1);
        var oldest = _workers.Next();
        oldest.Ready();

        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Ttin));
        var added = _workers.Next();
        added.Ready();
        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Ttou));

        Assert.Equal(new StopWorker(Graceful: true), await NextCommandAsync(oldest));
        oldest.Signal(SigTerm);
        AwaitAssert(() => Assert.Equal([added.Pid], arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience).Result.Workers.Select(w => w.Pid)), Patience);
        Assert.True(_workers.NoneSpawnedWithin(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Hup_must_start_new_workers_first_and_retire_each_old_one_only_once_a_new_one_is_ready()
    {
        var arbiter = StartArbiter(workers: 2);
        // Two spawns run concurrently: the order they are handed out in is not their age order.
        var old = new[] { _workers.Next(), _workers.Next() }.OrderBy(w => w.Age).ToArray();
        Array.ForEach(old, w => w.Ready());
        AwaitRunning(arbiter, 2);

        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Hup));
        var fresh = new[] { _workers.Next(), _workers.Next() };

        Assert.All(fresh, w => Assert.Equal(2, w.Generation));
        Assert.True(await NoCommandWithinAsync(old[0]), "an old worker was stopped before any new one served");
        fresh[0].Ready();
        Assert.Equal(new StopWorker(Graceful: true), await NextCommandAsync(old[0]));
        Assert.True(await NoCommandWithinAsync(old[1]), "the second old worker was stopped while only one new one served");
        fresh[1].Ready();
        Assert.Equal(new StopWorker(Graceful: true), await NextCommandAsync(old[1]));
    }

    [Fact]
    public async Task A_reload_whose_workers_fail_to_boot_must_be_abandoned_and_the_old_workers_kept()
    {
        var arbiter = StartArbiter(workers: 1);
        var old = _workers.Next();
        old.Ready();
        AwaitRunning(arbiter, 1);

        _workers.Command = ["sh", "-c", "exit 4"];
        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Hup));

        AwaitAssert(() => Assert.Contains(_log.Entries, e => e.Message.StartsWith("Reload to generation 2 abandoned: App failed to load.", StringComparison.Ordinal)), Patience);
        Assert.True(await NoCommandWithinAsync(old), "the old worker was stopped");
        Assert.False(_outcome.Task.IsCompleted);
        var status = await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience);
        Assert.Equal([(old.Pid, "Running")], status.Workers.Select(w => (w.Pid, w.State)));
    }

    [Fact]
    public async Task A_reload_whose_workers_fail_one_after_the_other_must_keep_the_old_workers_and_not_reuse_its_generation()
    {
        var arbiter = StartArbiter(workers: 2);
        var old = new[] { _workers.Next(), _workers.Next() };
        Array.ForEach(old, w => w.Ready());
        AwaitRunning(arbiter, 2);

        // The new workers fail to boot when the spec says so (a file named after the pid appears): one, then, once the
        // reload is abandoned, the other.
        var cues = Directory.CreateTempSubdirectory("actorgunicorn-spec-");
        try
        {
            _workers.Command = ["sh", "-c", $"while [ ! -e '{cues.FullName}'/$$ ]; do sleep 0.02; done; exit 3"];
            arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Hup));
            var fresh = new[] { _workers.Next(), _workers.Next() };
            File.WriteAllText(Path.Combine(cues.FullName, fresh[0].Pid.ToString(CultureInfo.InvariantCulture)), "");
            AwaitAssert(() => Assert.Contains(_log.Entries, e => e.Message.StartsWith("Reload to generation 2 abandoned: Worker failed to boot.", StringComparison.Ordinal)), Patience);
            File.WriteAllText(Path.Combine(cues.FullName, fresh[1].Pid.ToString(CultureInfo.InvariantCulture)), "");
            AwaitAssert(() => Assert.Contains(_log.Entries, e => e.Message == $"Worker (pid:{fresh[1].Pid}) exited with code 3."), Patience);
        }
        finally
        {
            cues.Delete(recursive: true);
        }

        Assert.True(await NoCommandWithinAsync(old[0]), "an old worker was stopped: the second failure halted the server");
        Assert.False(_outcome.Task.IsCompleted);
        var status = await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience);
        Assert.Equal(old.Select(w => (w.Pid, "Running")).Order(), status.Workers.Select(w => (w.Pid, w.State)).Order());

        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Hup));
        Assert.Equal(3, _workers.Next().Generation);
    }

    [Fact]
    public async Task A_worker_asking_to_be_recycled_must_serve_until_its_replacement_is_ready()
    {
        var arbiter = StartArbiter(workers: 1);
        var first = _workers.Next();
        first.Ready();
        AwaitRunning(arbiter, 1);

        first.Channel.Send(new RecycleRequested("max-requests reached"));
        var replacement = _workers.Next();

        Assert.True(await NoCommandWithinAsync(first), "the worker was stopped before its replacement served");
        replacement.Ready();
        Assert.Equal(new StopWorker(Graceful: true), await NextCommandAsync(first));
        var stats = await arbiter.Ask<Arbiter.Stats>(Arbiter.GetStats.Instance, Patience);
        Assert.Equal((2L, 1L), (stats.WorkersSpawned, stats.WorkersRecycled));
    }

    [Fact]
    public void A_silent_worker_must_be_aborted_after_the_timeout_and_replaced()
    {
        StartArbiter(workers: 1, timeout: TimeSpan.FromSeconds(1));
        var silent = _workers.Next();

        // No heartbeat ever: after the timeout the next tick sends SIGABRT, which ends `sleep`.
        var replacement = _workers.Next(TimeSpan.FromSeconds(15));

        Assert.NotEqual(silent.Pid, replacement.Pid);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Critical && e.Message == $"WORKER TIMEOUT (pid:{silent.Pid})");
        Assert.Contains(_log.Entries, e => e.Message == $"Worker (pid:{silent.Pid}) was sent SIGABRT!");
    }

    [Fact]
    public async Task With_max_workers_sustained_load_must_add_a_worker_and_low_load_must_retire_the_oldest_again()
    {
        var arbiter = StartArbiter(workers: 1, maxWorkers: 2);
        var first = _workers.Next();
        first.Ready();
        var firstLoad = new StandInLoad(3.0);
        using var firstBeats = StandInLoad.Beat(first, firstLoad);

        var second = _workers.Next(TimeSpan.FromSeconds(15));

        Assert.Contains(_log.Entries, e => e.Message == "Scaling up: 1 -> 2 workers (its one worker busy for 2 s)");
        var status = await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience);
        Assert.Equal((2, 1, 2), (status.DesiredWorkers, status.MinWorkers, status.MaxWorkers));

        firstLoad.RequestsAtOnce = 0;
        second.Ready();
        using var secondBeats = StandInLoad.Beat(second, new StandInLoad(0));

        Assert.Equal(new StopWorker(Graceful: true), await first.NextCommandAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains(_log.Entries, e => e.Message.StartsWith("Scaling down: 2 -> 1 workers (", StringComparison.Ordinal));
        var stats = await arbiter.Ask<Arbiter.Stats>(Arbiter.GetStats.Instance, Patience);
        Assert.Equal((1, 1L, 1L, 2L), (stats.DesiredWorkers, stats.ScaleUps, stats.ScaleDowns, stats.WorkersSpawned));
    }

    [Fact]
    public void With_max_workers_connections_waiting_in_the_accept_queue_must_add_a_worker_though_the_workers_look_idle()
    {
        StartArbiter(workers: 1, maxWorkers: 3, queuedConnections: () => 4);
        var first = _workers.Next();
        first.Ready();
        using var beats = StandInLoad.Beat(first, new StandInLoad(0));

        _workers.Next(TimeSpan.FromSeconds(15));

        Assert.Contains(_log.Entries, e => e.Message == "Scaling up: 1 -> 2 workers (connections waiting to be accepted for 2 s)");
        // One at a time: the added worker has not served yet, so no third one however long the queue stays.
        Assert.True(_workers.NoneSpawnedWithin(TimeSpan.FromSeconds(3)), "a worker was added before the last one served");
    }

    [Fact]
    public async Task With_max_workers_ttin_and_ttou_must_move_the_floor_and_the_count_together()
    {
        var arbiter = StartArbiter(workers: 1, maxWorkers: 3);
        _workers.Next().Ready();

        var added = await arbiter.Ask<Arbiter.CommandAccepted>(new Arbiter.AddWorkers(1), Patience);
        _workers.Next();
        var afterAdd = await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience);
        var removed = await arbiter.Ask<Arbiter.CommandAccepted>(new Arbiter.RemoveWorkers(1), Patience);
        var afterRemove = await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience);

        Assert.Equal("workers: 1 -> 2 (min 2, max 3)", added.Summary);
        Assert.Equal((2, 2, 3), (afterAdd.DesiredWorkers, afterAdd.MinWorkers, afterAdd.MaxWorkers));
        Assert.Equal("workers: 2 -> 1 (min 1, max 3)", removed.Summary);
        Assert.Equal((1, 1, 3), (afterRemove.DesiredWorkers, afterRemove.MinWorkers, afterRemove.MaxWorkers));
    }

    [Fact]
    public async Task With_max_workers_a_reload_must_keep_the_workers_the_load_added()
    {
        var arbiter = StartArbiter(workers: 1, maxWorkers: 3, queuedConnections: () => 4);
        var first = _workers.Next();
        first.Ready();
        using var beats = StandInLoad.Beat(first, new StandInLoad(0));
        _workers.Next(TimeSpan.FromSeconds(15)).Ready();

        arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Hup));
        var fresh = new[] { _workers.Next(), _workers.Next() };

        Assert.All(fresh, w => Assert.Equal(2, w.Generation));
        Assert.Equal(2, (await arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience)).DesiredWorkers);
    }

    public new void Dispose()
    {
        base.Dispose();
        _workers.Dispose();
    }

    private static Task<IControlMessage?> NextCommandAsync(StandInWorker worker) => worker.NextCommandAsync(Patience);

    // A negative check: the arbiter sends nothing to this worker for a short while.
    private static Task<bool> NoCommandWithinAsync(StandInWorker worker) => worker.NoCommandWithinAsync(TimeSpan.FromMilliseconds(400));

    // A worker announced as ready only counts once the arbiter has read its channel.
    private void AwaitRunning(IActorRef arbiter, int count) =>
        AwaitAssert(() => Assert.Equal(count, arbiter.Ask<Arbiter.Status>(Arbiter.GetStatus.Instance, Patience).Result.Workers.Count(w => w.State == "Running")), Patience);

    private IActorRef StartArbiter(int workers, TimeSpan? timeout = null, int maxWorkers = 0, Func<int?>? queuedConnections = null)
    {
        var settings = ServerSettings.Default with
        {
            Workers = workers,
            MaxWorkers = maxWorkers,
            ScaleDownAfter = TimeSpan.FromSeconds(1),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            GracefulTimeout = TimeSpan.FromSeconds(10),
        };
        var services = new ArbiterServices(_workers, _log) { QueuedConnections = queuedConnections };
        return Sys.ActorOf(Arbiter.Props(new WorkerGeneration(1, settings, string.Empty), services, _outcome));
    }
}
