using System.Net.Sockets;

namespace ActorGunicorn.Transport;

/// <summary>
/// The gates of the arbiter's shared listeners (<see cref="ListenerGate"/>): closed as the whole server stops, so
/// that a connection either reaches a worker that serves it or is refused, never accepted by the kernel and reset
/// when the server exits (gunicorn #3397); opened again before exit where the socket is someone else's too.
/// Per-worker (<c>--reuse-port</c>) sockets are the workers' own to close.
/// </summary>
internal sealed class ListenerGates
{
    private readonly IReadOnlyList<Listener> _listeners;
    private readonly Func<bool> _upgradePeerExists;
    private readonly List<Listener> _toReopen = [];
    private bool _closed;

    /// <param name="listeners">The arbiter's listeners.</param>
    /// <param name="upgradePeerExists">Whether a USR2 parent or child still serves on the same sockets.</param>
    public ListenerGates(IReadOnlyList<Listener> listeners, Func<bool> upgradePeerExists)
    {
        _listeners = listeners;
        _upgradePeerExists = upgradePeerExists;
    }

    /// <summary>Closes the gates the stop should close; returns their descriptors, for the workers.</summary>
    public IReadOnlyList<int> CloseForStop()
    {
        var gated = new List<int>();
        if (_closed)
        {
            return gated;
        }

        _closed = true;
        bool peer = _upgradePeerExists();
        foreach (var listener in _listeners.Where(l => !l.IsPerWorker))
        {
            var decision = ListenerSources.GateOnStop(listener.Origin, listener.Socket.ProtocolType != ProtocolType.Tcp, peer);
            if (decision == StopGate.LeaveOpen)
            {
                continue;
            }

            try
            {
                ListenerGate.Close(listener.Socket);
            }
            catch (SocketException)
            {
                // The kernel would not take the gate: the workers take what was queued at the stop, as without one.
                continue;
            }

            gated.Add(listener.Fd);
            if (decision == StopGate.CloseThenReopenAtExit)
            {
                _toReopen.Add(listener);
            }
        }

        return gated;
    }

    /// <summary>Opens the gates of the sockets that outlive this server, just before its copies are closed.</summary>
    public void ReopenBorrowed()
    {
        foreach (var listener in _toReopen)
        {
            ListenerGate.Reopen(listener.Socket);
        }

        _toReopen.Clear();
    }
}
