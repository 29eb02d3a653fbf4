using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Control;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Core.Tests.Arbitration;

/// <summary>
/// A spawned stand-in: a real OS process (known by pid: the arbiter owns and disposes the Process object), and the
/// worker's end of its real control channel, held by the spec.
/// </summary>
internal sealed record StandInWorker(int Pid, ControlChannel Channel, int Age, int Generation)
{
    public void Ready() => Channel.Send(new WorkerReady(Pid));

    public void Signal(int signal) => Libc.Kill(Pid, signal);

    // One receive at a time, kept across a negative check, so no frame is lost to a cancelled read.
    private Task<IControlMessage?>? _pendingCommand;

    /// <summary>The next frame the arbiter sends this worker.</summary>
    public async Task<IControlMessage?> NextCommandAsync(TimeSpan timeout)
    {
        _pendingCommand ??= Channel.ReceiveAsync();
        var command = await _pendingCommand.WaitAsync(timeout);
        _pendingCommand = null;
        return command;
    }

    /// <summary>True when the arbiter sends this worker nothing within <paramref name="window"/>.</summary>
    public async Task<bool> NoCommandWithinAsync(TimeSpan window)
    {
        _pendingCommand ??= Channel.ReceiveAsync();
        return await Task.WhenAny(_pendingCommand, Task.Delay(window)) != _pendingCommand;
    }
}

/// <summary>
/// A stand-in worker's load: it beats as a worker's control link does (every 250 ms here, where a worker beats every
/// second, so specs are short), its request time growing by <see cref="RequestsAtOnce"/> milliseconds per
/// millisecond, as if that many requests were always in it.
/// </summary>
internal sealed class StandInLoad(double requestsAtOnce)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private double _requestsAtOnce = requestsAtOnce;

    /// <summary>How many requests the worker holds at once from now on.</summary>
    public double RequestsAtOnce
    {
        get => Volatile.Read(ref _requestsAtOnce);
        set => Volatile.Write(ref _requestsAtOnce, value);
    }

    /// <summary>Sends <paramref name="worker"/>'s heartbeats until disposed. Send its WorkerReady first: one writer at a time.</summary>
    public static IDisposable Beat(StandInWorker worker, StandInLoad load)
    {
        var stop = new CancellationTokenSource();
        var beating = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            var clock = Stopwatch.StartNew();
            double requestTimeMs = 0;
            long lastMs = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    long now = clock.ElapsedMilliseconds;
                    requestTimeMs += load.RequestsAtOnce * (now - lastMs);
                    lastMs = now;
                    worker.Channel.Send(new WorkerHeartbeat(0, 0, (int)load.RequestsAtOnce, 0, 0, (long)requestTimeMs));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped, or the arbiter's end is gone.
            }
        });
        return new Beating(stop, beating);
    }

    private sealed class Beating(CancellationTokenSource stop, Task beating) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            beating.Wait(TimeSpan.FromSeconds(5));
            stop.Dispose();
        }
    }
}

/// <summary>
/// Spawns real processes that stand in for workers (by default <c>sleep</c>), so arbiter specs exercise real exits,
/// signals and exit codes, while the spec plays the worker's side of each control channel.
/// </summary>
internal sealed class StandInWorkers : IWorkerSpawner, IDisposable
{
    private readonly BlockingCollection<StandInWorker> _spawned = [];
    private readonly ConcurrentBag<StandInWorker> _all = [];
    private int _lastAge;

    /// <summary>The command each stand-in runs.</summary>
    public string[] Command { get; set; } = ["sleep", "600"];

    /// <summary>How many processes were spawned so far.</summary>
    public int Count => _all.Count;

    public SpawnedWorker Spawn(WorkerGeneration generation)
    {
        int age = Interlocked.Increment(ref _lastAge);
        var pair = SocketPair.Create();
        var process = Process.Start(new ProcessStartInfo(Command[0], Command[1..]) { UseShellExecute = false })!;
        var workerEnd = new ControlChannel(new Socket(new SafeSocketHandle((IntPtr)pair.ChildFd, ownsHandle: true)));
        var standIn = new StandInWorker(process.Id, workerEnd, age, generation.Number);
        _all.Add(standIn);
        _spawned.Add(standIn);
        return new SpawnedWorker(process, new ControlChannel(pair.ParentEnd), age);
    }

    /// <summary>The next stand-in spawned (waits for it).</summary>
    public StandInWorker Next(TimeSpan? timeout = null) =>
        _spawned.TryTake(out var standIn, timeout ?? TimeSpan.FromSeconds(10))
            ? standIn
            : throw new TimeoutException("no worker was spawned");

    /// <summary>True if no further stand-in is spawned within <paramref name="window"/>.</summary>
    public bool NoneSpawnedWithin(TimeSpan window) => !_spawned.TryTake(out _, window);

    public void Dispose()
    {
        // No orphans: every stand-in still running is killed (a signal to an exited pid is harmless).
        foreach (var standIn in _all)
        {
            standIn.Signal(Libc.SigKill);
            standIn.Channel.Dispose();
        }

        _spawned.Dispose();
    }
}
