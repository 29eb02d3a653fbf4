using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>
/// A page of memory the arbiter shares with its workers, where each worker posts how many connections it holds and
/// whether it is waiting to accept one. All workers accept from the same listener, and the kernel hands a new
/// connection to whichever worker's accept runs first, which is usually the worker that is already awake and busy:
/// with keep-alive clients one worker could hold every connection while the other idled. With the board, a worker
/// that holds more connections than a peer with a free application thread, or that has no free thread itself, leaves
/// the next connection to that peer.
/// </summary>
/// <remarks>
/// One 64-byte line per worker (no false sharing between workers), six 32-bit fields: the pid (0 = free), whether
/// the worker accepts, its open connections, whether every application thread of its is in a request (busy), whether
/// it has stepped back (left the next connection to a peer, or is deciding whether to), and its wake word. Each worker
/// writes the first five of its own line only; a line is claimed by compare-and-swap on the pid, freed by the worker
/// when it exits and by the arbiter when it sees the process gone (a SIGKILLed worker frees nothing). Plain aligned
/// 32-bit reads and writes are atomic.
/// <para>
/// A worker that stepped back sleeps on its wake word (a futex), and whoever changes what it decided on wakes it: a
/// peer that steps back in turn, becomes busy, stops accepting or exits. Without that, two workers that stepped back
/// at once, each for the other, left connections in the kernel's queue until a timer looked again: with clients that
/// close after each request, throughput fell to a tenth.
/// </para>
/// </remarks>
internal sealed unsafe class LoadBoard : IDisposable
{
    /// <summary>How many workers the board has lines for; a worker beyond them accepts without it.</summary>
    public const int Capacity = 256;

    internal const int PidOffset = 0;
    internal const int AcceptingOffset = 4;
    internal const int OpenOffset = 8;
    internal const int BusyOffset = 12;
    internal const int SteppedBackOffset = 16;
    internal const int WakeOffset = 20;
    private const int LineSize = 64;
    private const int Size = Capacity * LineSize;

    private readonly byte* _base;
    private readonly bool _ownsFd;
    private int _disposed;

    private LoadBoard(int fd, nint address, bool ownsFd)
    {
        Fd = fd;
        _base = (byte*)address;
        _ownsFd = ownsFd;
    }

    /// <summary>The shared-memory descriptor, which workers inherit.</summary>
    public int Fd { get; }

    /// <summary>Creates an empty board (the arbiter); its descriptor is close-on-exec until a spawn passes it on.</summary>
    /// <exception cref="IOException">The kernel refused the shared memory.</exception>
    public static LoadBoard Create()
    {
        int fd = Libc.MemfdCreate("actorgunicorn-load-board", Libc.MfdCloexec);
        if (fd < 0)
        {
            throw new IOException($"memfd_create failed: {Libc.LastError()}");
        }

        try
        {
            if (Libc.Ftruncate(fd, Size) != 0)
            {
                throw new IOException($"ftruncate of the load board failed: {Libc.LastError()}");
            }

            return new LoadBoard(fd, Libc.MapShared(fd, Size), ownsFd: true);
        }
        catch
        {
            Libc.Close(fd);
            throw;
        }
    }

    /// <summary>Maps the board the arbiter passed at <paramref name="fd"/> (a worker), and closes the descriptor.</summary>
    /// <exception cref="IOException">The descriptor is not a board.</exception>
    public static LoadBoard Map(int fd)
    {
        try
        {
            return new LoadBoard(fd, Libc.MapShared(fd, Size), ownsFd: false);
        }
        finally
        {
            // The mapping keeps the memory; the descriptor must not leak into the application's child processes.
            Libc.Close(fd);
        }
    }

    /// <summary>Claims a free line for <paramref name="pid"/>; null when every line is taken.</summary>
    public LoadBoardLine? Claim(int pid)
    {
        for (int index = 0; index < Capacity; index++)
        {
            if (Interlocked.CompareExchange(ref Field(index, PidOffset), pid, 0) == 0)
            {
                Volatile.Write(ref Field(index, OpenOffset), 0);
                Volatile.Write(ref Field(index, BusyOffset), 0);
                Volatile.Write(ref Field(index, SteppedBackOffset), 0);
                Volatile.Write(ref Field(index, AcceptingOffset), 0);
                return new LoadBoardLine(this, index, pid);
            }
        }

        return null;
    }

    /// <summary>Frees the line of <paramref name="pid"/>, if it has one (the arbiter, once the process has exited).</summary>
    public void Release(int pid)
    {
        for (int index = 0; index < Capacity; index++)
        {
            if (Volatile.Read(ref Field(index, PidOffset)) == pid)
            {
                Volatile.Write(ref Field(index, AcceptingOffset), 0);
                Interlocked.CompareExchange(ref Field(index, PidOffset), 0, pid);
            }
        }

        // Peers may have stepped back for the one that is gone.
        WakeSteppedBack(self: -1);
    }

    /// <summary>
    /// Wakes every worker but the one on line <paramref name="self"/> that has stepped back, so that it decides again:
    /// called after a change that may make it the one to accept. Costs a read per line when none has.
    /// </summary>
    public void WakeSteppedBack(int self)
    {
        Interlocked.MemoryBarrier();
        for (int index = 0; index < Capacity; index++)
        {
            if (index != self && Volatile.Read(ref Field(index, SteppedBackOffset)) != 0 && Volatile.Read(ref Field(index, PidOffset)) != 0)
            {
                Interlocked.Increment(ref Field(index, WakeOffset));
                Libc.FutexWake(FieldAddress(index, WakeOffset));
            }
        }
    }

    /// <summary>The workers that accept, other than the one on line <paramref name="self"/>, as the board shows them now.</summary>
    public int ReadPeers(int self, Span<PeerLoad> peers)
    {
        int count = 0;
        for (int index = 0; index < Capacity && count < peers.Length; index++)
        {
            int pid = Volatile.Read(ref Field(index, PidOffset));
            if (index == self || pid == 0 || Volatile.Read(ref Field(index, AcceptingOffset)) == 0)
            {
                continue;
            }

            peers[count++] = new PeerLoad(pid, Volatile.Read(ref Field(index, OpenOffset)), Busy: Volatile.Read(ref Field(index, BusyOffset)) != 0);
        }

        return count;
    }

    /// <summary>
    /// Lets the shared memory go. The address stays valid (private memory takes the mapping's place) rather than being
    /// unmapped: a worker process's exit, or a timer firing as a server stops, may still post to its line, and a
    /// write to unmapped memory would crash the process. The 16 KiB are reclaimed with the process.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Libc.ReplaceWithPrivateMemory((nint)_base, Size);
            if (_ownsFd)
            {
                Libc.Close(Fd);
            }
        }
    }

    internal ref int Field(int index, int offset) => ref *FieldAddress(index, offset);

    internal int* FieldAddress(int index, int offset) => (int*)(_base + (index * LineSize) + offset);
}
