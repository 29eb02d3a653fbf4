namespace ActorGunicorn.Transport;

/// <summary>A peer worker's line on the board.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="OpenConnections">The connections it holds.</param>
/// <param name="Busy">Whether every application thread of its is in a request: a connection it took would wait.</param>
internal readonly record struct PeerLoad(int Pid, int OpenConnections, bool Busy);

/// <summary>One worker's own line on the board: only that worker writes it.</summary>
internal sealed class LoadBoardLine
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

    /// <summary>Posts whether every application thread of this worker is in a request.</summary>
    public void PostBusy(bool busy) => Volatile.Write(ref _board.Field(Index, LoadBoard.BusyOffset), busy ? 1 : 0);

    /// <summary>Posts whether this worker accepts new connections at all (false while it drains).</summary>
    public void PostAccepting(bool accepting) => Volatile.Write(ref _board.Field(Index, LoadBoard.AcceptingOffset), accepting ? 1 : 0);

    /// <summary>Frees the line (the worker is exiting).</summary>
    public void Release()
    {
        PostAccepting(false);
        Interlocked.CompareExchange(ref _board.Field(Index, LoadBoard.PidOffset), 0, _pid);
    }
}
