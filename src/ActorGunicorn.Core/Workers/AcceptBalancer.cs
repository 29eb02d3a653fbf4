using System.Collections.Immutable;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers;

/// <summary>
/// A worker's side of the load board: its line (open connections, whether it accepts, whether an accept of its is
/// outstanding) and the decision whether to take the next connection. Shared by the worker's acceptors on shared
/// listeners; a worker's own <c>--reuse-port</c> listener needs none (the kernel spreads those connections).
/// </summary>
internal sealed class AcceptBalancer
{
    private readonly LoadBoard _board;
    private readonly LoadBoardLine _line;
    private readonly PeerLoad[] _peers = new PeerLoad[LoadBoard.Capacity];
    private readonly Lock _readLock = new();
    private readonly int _threads;
    private volatile bool _busy;
    private ImmutableArray<Action> _onBusy = [];

    /// <param name="board">The board the arbiter passed.</param>
    /// <param name="line">This worker's line on it.</param>
    /// <param name="threads">The worker's application threads (<c>--threads</c>).</param>
    public AcceptBalancer(LoadBoard board, LoadBoardLine line, int threads)
    {
        _board = board;
        _line = line;
        _threads = Math.Max(1, threads);
    }

    /// <summary>Posts the connections this worker holds (on every open and close).</summary>
    public void PostOpenConnections(int open) => _line.PostOpenConnections(open);

    /// <summary>Posts whether the worker accepts new connections (true once serving, false when it drains).</summary>
    public void PostAccepting(bool accepting) => _line.PostAccepting(accepting);

    /// <summary>Posts how many requests are in the application now (on every start and finish).</summary>
    public void PostActiveRequests(int active)
    {
        bool busy = active >= _threads;
        if (busy != _busy)
        {
            _busy = busy;
            _line.PostBusy(busy);
            if (busy)
            {
                foreach (var action in _onBusy)
                {
                    action();
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> whenever every application thread becomes busy, on the thread that started the
    /// request (an acceptor calls off its outstanding accept).
    /// </summary>
    public void OnBusy(Action action) => ImmutableInterlocked.Update(ref _onBusy, list => list.Add(action));

    /// <summary>Stops running <paramref name="action"/>.</summary>
    public void OffBusy(Action action) => ImmutableInterlocked.Update(ref _onBusy, list => list.Remove(action));

    /// <summary>Whether the next connection should be left to a peer (<see cref="AcceptBalance.LeaveToPeer"/>).</summary>
    public bool LeaveToPeer(int open)
    {
        lock (_readLock)
        {
            int count = _board.ReadPeers(_line.Index, _peers);
            return AcceptBalance.LeaveToPeer(open, _busy, _peers.AsSpan(0, count), IsAlive);
        }
    }

    /// <summary>Frees this worker's line (the worker exits).</summary>
    public void Release() => _line.Release();

    // kill(pid, 0): no signal is sent, only whether the process exists.
    private static bool IsAlive(int pid) => Libc.Kill(pid, 0) == 0;
}
