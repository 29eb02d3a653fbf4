using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>A peer worker's line on the board.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="OpenConnections">The connections it holds.</param>
/// <param name="Busy">Whether every application thread of its is in a request: a connection it took would wait.</param>
internal readonly record struct PeerLoad(int Pid, int OpenConnections, bool Busy);

/// <summary>One worker's own line on the board: only that worker writes it.</summary>
internal sealed unsafe class LoadBoardLine
{
    private readonly LoadBoard _board;
    private readonly int _pid;

    internal LoadBoardLine(LoadBoard board, int index, int pid)
    {
        _board = board;
        Index = index;
        _pid = pid;
    }

    /// <summary>The line's index, to leave it out when reading the peers.</summary>
    public int Index { get; }

    /// <summary>Posts the connections this worker holds.</summary>
    public void PostOpenConnections(int open) => Volatile.Write(ref _board.Field(Index, LoadBoard.OpenOffset), open);

    /// <summary>
    /// Posts whether every application thread of this worker is in a request. A full fence: a peer that read this
    /// worker as free and stepped back is either seen stepped back by the <see cref="WakePeers"/> that follows, or
    /// reads the new value.
    /// </summary>
    public void PostBusy(bool busy) => Interlocked.Exchange(ref _board.Field(Index, LoadBoard.BusyOffset), busy ? 1 : 0);

    /// <summary>
    /// Marks one of this worker's acceptors as stepped back, before it reads the board to decide (a full fence): of two
    /// workers that decide at once and both step back, at least one sees the other's mark and wakes it.
    /// </summary>
    public void MarkSteppedBack() => Interlocked.Increment(ref _board.Field(Index, LoadBoard.SteppedBackOffset));

    /// <summary>Takes back one <see cref="MarkSteppedBack"/> (the acceptor accepts again).</summary>
    public void UnmarkSteppedBack() => Interlocked.Decrement(ref _board.Field(Index, LoadBoard.SteppedBackOffset));

    /// <summary>Wakes the peers that stepped back, so that they decide again.</summary>
    public void WakePeers() => _board.WakeSteppedBack(Index);

    /// <summary>The wake word's value now: pass it to <see cref="WaitForWake"/>.</summary>
    public int WakeCount => Volatile.Read(ref _board.Field(Index, LoadBoard.WakeOffset));

    /// <summary>
    /// Sleeps until a peer wakes this line; returns at once if one has since <paramref name="seen"/> was read (the
    /// kernel compares the word as it queues the sleeper, so no wake is lost in between). False when the kernel
    /// refuses to sleep on it at all.
    /// </summary>
    public bool WaitForWake(int seen) => Libc.FutexWait(_board.FieldAddress(Index, LoadBoard.WakeOffset), seen);

    /// <summary>Wakes this line's own sleeper (the worker is exiting).</summary>
    public void WakeSelf()
    {
        Interlocked.Increment(ref _board.Field(Index, LoadBoard.WakeOffset));
        Libc.FutexWake(_board.FieldAddress(Index, LoadBoard.WakeOffset));
    }

    /// <summary>Posts whether this worker accepts new connections at all (false while it drains).</summary>
    public void PostAccepting(bool accepting) => Volatile.Write(ref _board.Field(Index, LoadBoard.AcceptingOffset), accepting ? 1 : 0);

    /// <summary>Frees the line (the worker is exiting).</summary>
    public void Release()
    {
        PostAccepting(false);
        Interlocked.CompareExchange(ref _board.Field(Index, LoadBoard.PidOffset), 0, _pid);
    }
}
