using System.Collections.Immutable;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers;

/// <summary>
/// A worker's side of the load board: its line (open connections, whether it accepts, whether it is busy, whether it
/// stepped back) and the decision whether to take the next connection. Shared by the worker's acceptors on shared
/// listeners; a worker's own <c>--reuse-port</c> listener needs none (the kernel spreads those connections). An
/// acceptor that stepped back is woken, through a thread that sleeps on the line's wake word, when a peer's change may
/// make it the one to accept (<see cref="LoadBoard"/>).
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
    private ImmutableArray<Action> _onWake = [];
    private int _wakeThreadStarted;
    private volatile bool _released;

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
    public void PostAccepting(bool accepting)
    {
        _line.PostAccepting(accepting);
        if (!accepting)
        {
            // Peers that stepped back for this worker must take its share now.
            _line.WakePeers();
        }
    }

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

                // A peer that stepped back for this worker's free thread must accept itself.
                _line.WakePeers();
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

    /// <summary>
    /// Runs <paramref name="action"/> (on the wake thread) when a peer wakes this worker: an acceptor that stepped back
    /// decides again.
    /// </summary>
    public void OnWake(Action action)
    {
        ImmutableInterlocked.Update(ref _onWake, list => list.Add(action));
        if (Libc.HasFutex && Interlocked.Exchange(ref _wakeThreadStarted, 1) == 0)
        {
            // Blocked in the kernel all its life but for a wake: costs nothing at rest.
            new Thread(RunWakes, maxStackSize: 256 * 1024) { IsBackground = true, Name = "load-board-wakes" }.Start();
        }
    }

    /// <summary>Stops running <paramref name="action"/>.</summary>
    public void OffWake(Action action) => ImmutableInterlocked.Update(ref _onWake, list => list.Remove(action));

    /// <summary>
    /// Whether the next connection should be left to a peer (<see cref="AcceptBalance.LeaveToPeer"/>). When it should,
    /// the caller has stepped back until it calls <see cref="StopSteppingBack"/>, and is woken (<see cref="OnWake"/>)
    /// when a peer's change may make it the one to accept.
    /// </summary>
    public bool LeaveToPeer(int open)
    {
        // Marked before reading: two acceptors that read each other at once and both step back cannot both miss the
        // other's mark, so one of them wakes the other.
        _line.MarkSteppedBack();
        bool leave;
        lock (_readLock)
        {
            int count = _board.ReadPeers(_line.Index, _peers);
            leave = AcceptBalance.LeaveToPeer(open, _busy, _peers.AsSpan(0, count), IsAlive);
        }

        if (leave)
        {
            _line.WakePeers();
        }
        else
        {
            _line.UnmarkSteppedBack();
        }

        return leave;
    }

    /// <summary>Ends a step back begun by a <see cref="LeaveToPeer"/> that answered true.</summary>
    public void StopSteppingBack() => _line.UnmarkSteppedBack();

    /// <summary>Frees this worker's line (the worker exits).</summary>
    public void Release()
    {
        _released = true;
        _line.Release();
        _line.WakeSelf();
    }

    // Reads the wake word before running the actions: a wake that lands while they run (after the acceptor has read
    // the board) makes the next wait return at once. Where futexes are refused, the acceptors' own timers still look
    // again.
    private void RunWakes()
    {
        int seen = _line.WakeCount;
        while (!_released)
        {
            if (!_line.WaitForWake(seen))
            {
                return;
            }

            seen = _line.WakeCount;
            if (_released)
            {
                return;
            }

            foreach (var action in _onWake)
            {
                action();
            }
        }
    }

    // kill(pid, 0): no signal is sent, only whether the process exists.
    private static bool IsAlive(int pid) => Libc.Kill(pid, 0) == 0;
}
