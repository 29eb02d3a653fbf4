namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// Python threads of the gateway's own, for callers that are not on a prepared thread (an application embedded in
/// another server, say): requests wait in a queue and each thread takes them in turn. Started on first use.
/// </summary>
internal sealed class RequestThreads
{
    private readonly RequestQueue _queue = new();
    private readonly Thread[] _threads;
    private readonly WsgiHandler _handler;
    private readonly int _readAheadLimit;
    private readonly PythonStacks _stacks;
    private int _started;

    public RequestThreads(int count, WsgiHandler handler, int readAheadLimit, PythonStacks stacks)
    {
        _handler = handler;
        _readAheadLimit = readAheadLimit;
        _stacks = stacks;
        _threads = [.. Enumerable.Range(0, count).Select(i => new Thread(Run) { Name = $"python-request-{i}", IsBackground = true })];
    }

    public void Add(WsgiCall call)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            Array.ForEach(_threads, thread => thread.Start());
        }

        _queue.Add(call);
    }

    /// <summary>Lets the threads finish what is queued, then waits for them.</summary>
    public void StopAndJoin()
    {
        _queue.Close();
        if (Volatile.Read(ref _started) == 1)
        {
            Array.ForEach(_threads, thread => thread.Join());
        }
    }

    private void Run()
    {
        var python = new PythonThread(_handler, _readAheadLimit, _stacks);
        python.Prime();
        try
        {
            while (NextCall(python, out var call))
            {
                // Keep the GIL only when the next request is already waiting.
                python.Invoke(call, keepGil: _queue.HasWaiting);
            }
        }
        finally
        {
            python.Unprime();
        }
    }

    private bool NextCall(PythonThread python, out WsgiCall call)
    {
        if (_queue.TryTake(out call))
        {
            return true;
        }

        python.ReleaseGil();
        return _queue.Take(out call);
    }
}
