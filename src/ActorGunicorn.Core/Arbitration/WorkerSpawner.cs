using System.Diagnostics;
using System.Globalization;
using ActorGunicorn.Configuration;
using ActorGunicorn.Control;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;
using ActorGunicorn.Runtime;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Arbitration;

/// <summary>A worker process just started, with its end of the control channel.</summary>
/// <param name="Process">The OS process.</param>
/// <param name="Channel">The arbiter's end of the control channel.</param>
/// <param name="Age">The worker's age (spawn counter).</param>
internal sealed record SpawnedWorker(Process Process, ControlChannel Channel, int Age);

/// <summary>
/// What a worker is started with: one generation of the configuration. A reload makes a new generation; a worker
/// respawned after a crash keeps the generation it had.
/// </summary>
/// <param name="Number">The generation: 1 at start, one more per reload.</param>
/// <param name="Settings">The settings the arbiter decides with for this generation.</param>
/// <param name="ConfigHocon">The effective configuration as HOCON, sent to the worker in its bootstrap.</param>
internal sealed record WorkerGeneration(int Number, ServerSettings Settings, string ConfigHocon);

/// <summary>Starts one worker process per call; shared by every worker-process actor, so implementations are thread-safe.</summary>
internal interface IWorkerSpawner
{
    /// <summary>Starts a worker process of <paramref name="generation"/> and returns it with the arbiter's end of its control channel.</summary>
    SpawnedWorker Spawn(WorkerGeneration generation);
}

/// <summary>
/// Starts worker processes: the same executable in worker mode, inheriting the listeners and one end of a fresh
/// control socketpair, then sends it its bootstrap (configuration, age, request budget).
/// </summary>
internal sealed class WorkerSpawner : IWorkerSpawner
{
    private readonly string _listenFds;
    private readonly Random _random = new();
    private readonly ArbiterHooks _hooks;
    private readonly string? _workerExecutable;
    private readonly IReadOnlyList<Listener>? _inheritedOnlyWhileSpawning;
    private readonly LoadBoard? _loadBoard;
    private int _lastAge;

    /// <summary>Creates the spawner.</summary>
    /// <param name="listeners">The listeners every worker inherits.</param>
    /// <param name="hooks">The server hooks (pre_fork), or null for none.</param>
    /// <param name="workerExecutable">
    /// The <c>actorgunicorn</c> executable workers run. Null: this process's own executable, as the command line
    /// does; an embedding host names it, since its own executable is not the server.
    /// </param>
    /// <param name="listenersInheritableOnlyWhileSpawning">
    /// True in an embedding host: the listeners stay close-on-exec and are inheritable only while a worker is
    /// started, so the other processes the host starts do not inherit them and hold the port. The command line's
    /// arbiter keeps them inheritable (a USR2 upgrade passes them on).
    /// </param>
    /// <param name="loadBoard">
    /// The board on which workers post their load (<see cref="LoadBoard"/>), passed to each worker; null for none.
    /// </param>
    public WorkerSpawner(IReadOnlyList<Listener> listeners, ArbiterHooks? hooks = null, string? workerExecutable = null, bool listenersInheritableOnlyWhileSpawning = false, LoadBoard? loadBoard = null)
    {
        _loadBoard = loadBoard;
        _hooks = hooks ?? ArbiterHooks.None;
        _workerExecutable = workerExecutable;
        _inheritedOnlyWhileSpawning = listenersInheritableOnlyWhileSpawning ? listeners : null;
        _listenFds = string.Join(',', listeners.Select(l => l.Fd.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Starts one worker process and sends it its bootstrap.</summary>
    public SpawnedWorker Spawn(WorkerGeneration generation)
    {
        int age = Interlocked.Increment(ref _lastAge);
        long maxRequests;
        lock (_random)
        {
            maxRequests = ArbiterDecisions.MaxRequestsFor(generation.Settings.MaxRequests, generation.Settings.MaxRequestsJitter, _random);
        }

        _hooks.PreFork(age);
        var pair = SocketPair.Create();
        Process process;
        try
        {
            lock (DescriptorInheritance.SpawnLock)
            {
                Libc.SetInheritable(pair.ChildFd, inheritable: true);
                SetListenersInheritable(true);
                SetLoadBoardInheritable(true);
                try
                {
                    process = Process.Start(StartInfo(pair.ChildFd))
                        ?? throw new InvalidOperationException("the worker process did not start");
                }
                finally
                {
                    SetListenersInheritable(false);
                    SetLoadBoardInheritable(false);
                }

                pair.CloseChildEnd();
            }
        }
        catch
        {
            pair.Dispose();
            throw;
        }

        FreeLoadBoardLineOnExit(process);
        var channel = new ControlChannel(pair.ParentEnd);
        try
        {
            channel.Send(new WorkerBootstrap(age, maxRequests, generation.ConfigHocon));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The worker died before reading its bootstrap; its exit is reported through the process like any other.
        }

        return new SpawnedWorker(process, channel, age);
    }

    // The board's descriptor is inheritable only while a worker is started: nothing else the arbiter starts gets it.
    private void SetLoadBoardInheritable(bool inheritable)
    {
        if (_loadBoard is not null)
        {
            Libc.SetInheritable(_loadBoard.Fd, inheritable);
        }
    }

    // A worker frees its line when it exits normally; a killed one cannot, and its line would still say it waits
    // for connections. The process's exit (SIGCHLD) frees it.
    private void FreeLoadBoardLineOnExit(Process process)
    {
        if (_loadBoard is { } board)
        {
            int pid = process.Id;
            _ = process.WaitForExitAsync().ContinueWith(_ => board.Release(pid), TaskScheduler.Default);
        }
    }

    private void SetListenersInheritable(bool inheritable)
    {
        foreach (var listener in _inheritedOnlyWhileSpawning ?? [])
        {
            Libc.SetInheritable(listener.Fd, inheritable);
        }
    }

    private ProcessStartInfo StartInfo(int controlFd)
    {
        var executable = _workerExecutable ?? Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the server executable");
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        WorkerEnvironment.ApplyDefaults(info.Environment);
        // Under `dotnet actorgunicorn.dll` the process is the dotnet host: hand it the entry assembly again.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
                ? entry
                : throw new InvalidOperationException("cannot find the entry assembly to start workers"));
        }

        info.ArgumentList.Add(WorkerMain.ModeFlag);
        info.ArgumentList.Add("--control-fd");
        info.ArgumentList.Add(controlFd.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--listen-fds");
        info.ArgumentList.Add(_listenFds);
        if (_loadBoard is not null)
        {
            info.ArgumentList.Add("--load-board-fd");
            info.ArgumentList.Add(_loadBoard.Fd.ToString(CultureInfo.InvariantCulture));
        }
        return info;
    }
}
