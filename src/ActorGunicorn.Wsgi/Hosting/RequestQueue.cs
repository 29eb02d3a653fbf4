namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>Requests waiting for a Python thread. The invoker pool bounds how many are in flight.</summary>
internal sealed class RequestQueue
{
    private readonly Queue<WsgiCall> _calls = new();
    private int _waiting;
    private bool _closed;

    /// <summary>Whether a request is waiting: a thread that holds the GIL keeps it for the next one.</summary>
    public bool HasWaiting => Volatile.Read(ref _waiting) > 0;

    public void Add(WsgiCall call)
    {
        lock (_calls)
        {
            if (_closed)
            {
                throw new InvalidOperationException("The WSGI application has stopped.");
            }

            _calls.Enqueue(call);
            _waiting++;
            Monitor.Pulse(_calls);
        }
    }

    public bool TryTake(out WsgiCall call)
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            call = null!;
            return false;
        }

        lock (_calls)
        {
            return Dequeue(out call);
        }
    }

    /// <summary>Waits for a request; false once the queue is closed and empty.</summary>
    public bool Take(out WsgiCall call)
    {
        lock (_calls)
        {
            while (!Dequeue(out call))
            {
                if (_closed)
                {
                    return false;
                }

                Monitor.Wait(_calls);
            }

            return true;
        }
    }

    /// <summary>Lets the threads finish what is queued and then stop.</summary>
    public void Close()
    {
        lock (_calls)
        {
            _closed = true;
            Monitor.PulseAll(_calls);
        }
    }

    private bool Dequeue(out WsgiCall call)
    {
        if (_calls.TryDequeue(out call!))
        {
            _waiting--;
            return true;
        }

        return false;
    }
}
