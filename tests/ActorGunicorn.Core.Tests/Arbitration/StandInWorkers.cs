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
