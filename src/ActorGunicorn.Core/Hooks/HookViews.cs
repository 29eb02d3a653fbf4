using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hooks;

/// <summary>
/// The arbiter as hooks see it. In the arbiter <see cref="NumWorkers"/> follows TTIN and TTOU. The settings are read
/// on first use, so a process whose hooks never look pays nothing for them.
/// </summary>
internal sealed class HookServer(int pid, int numWorkers, IServerLog log, Func<IReadOnlyDictionary<string, object?>> settings) : IServerInfo
{
    private readonly Lazy<IReadOnlyDictionary<string, object?>> _settings = new(settings);
    private int _numWorkers = numWorkers;

    public int Pid { get; } = pid;

    public int NumWorkers
    {
        get => Volatile.Read(ref _numWorkers);
        set => Volatile.Write(ref _numWorkers, value);
    }

    public IServerLog Log { get; } = log;

    public IReadOnlyDictionary<string, object?> Settings => _settings.Value;
}

/// <summary>A worker process as hooks see it.</summary>
internal sealed record HookWorker(int Pid, int ParentPid, int Age, IServerLog Log) : IWorkerInfo;
