using Akka.Dispatch;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// A fixed set of dedicated threads sharing one run queue, with the application's hooks around each thread's life
/// and idle waits. Under load a thread goes from one mailbox run to the next without sleeping, so a request moves
/// from connection to invoker to application and back on one thread.
/// </summary>
internal sealed class ApplicationThreadExecutor : ExecutorService
{
    private readonly Queue<IRunnable> _work = new();
    private readonly Thread[] _threads;
    private readonly IGatewayThreadHooks _hooks;
    private bool _stopping;

    public ApplicationThreadExecutor(string id, int count, IGatewayThreadHooks hooks)
        : base(id)
    {
        _hooks = hooks;
        _threads = [.. Enumerable.Range(0, count).Select(i => new Thread(Run) { Name = $"application-{i}", IsBackground = true })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public override void Execute(IRunnable run)
    {
        lock (_work)
        {
            _work.Enqueue(run);
            Monitor.Pulse(_work);
        }
    }

    // Akka shuts a dispatcher's executor down when the dispatcher falls idle; the threads live until the worker
    // stops them (StopAndJoin), because the application's per-thread state must be undone on them.
    public override void Shutdown()
    {
    }

    public void StopAndJoin(TimeSpan timeout)
    {
        lock (_work)
        {
            _stopping = true;
            Monitor.PulseAll(_work);
        }

        var deadline = DateTime.UtcNow + timeout;
        foreach (var thread in _threads)
        {
            var left = deadline - DateTime.UtcNow;
            thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private void Run()
    {
        _hooks.OnThreadStarted();
        try
        {
            while (Next() is { } run)
            {
                run.Run();
            }
        }
        finally
        {
            _hooks.OnThreadStopping();
        }
    }

    private IRunnable? Next()
    {
        lock (_work)
        {
            if (_work.TryDequeue(out var run))
            {
                return run;
            }
        }

        _hooks.OnThreadIdle();
        lock (_work)
        {
            while (true)
            {
                if (_work.TryDequeue(out var run))
                {
                    return run;
                }

                if (_stopping)
                {
                    return null;
                }

                Monitor.Wait(_work);
            }
        }
    }
}
