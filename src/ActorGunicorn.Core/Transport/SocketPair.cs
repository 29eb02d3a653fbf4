using System.Net.Sockets;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>
/// A connected pair of Unix stream sockets: the arbiter keeps one end, and a worker process inherits the other as
/// its control channel. When either process dies the kernel closes its end, so the survivor reads end-of-stream at
/// once: that is how each side notices the other's death without polling.
/// </summary>
internal sealed class SocketPair : IDisposable
{
    private SocketPair(Socket parentEnd, int childFd)
    {
        ParentEnd = parentEnd;
        ChildFd = childFd;
    }

    /// <summary>The end this process keeps (close-on-exec, so no child inherits it).</summary>
    public Socket ParentEnd { get; }

    /// <summary>The raw descriptor of the end a child inherits; close it here once the child is spawned.</summary>
    public int ChildFd { get; private set; }

    /// <summary>Creates a pair whose both ends are close-on-exec.</summary>
    public static unsafe SocketPair Create()
    {
        int* fds = stackalloc int[2];
        if (Libc.SocketPair(Libc.AfUnix, Libc.SockStream | Libc.SockCloexec, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: {Libc.LastError()}");
        }

        var parent = new Socket(new SafeSocketHandle((IntPtr)fds[0], ownsHandle: true));
        return new SocketPair(parent, fds[1]);
    }

    /// <summary>Closes this process's copy of the child end (after the child has inherited it).</summary>
    public void CloseChildEnd()
    {
        if (ChildFd >= 0)
        {
            Libc.Close(ChildFd);
            ChildFd = -1;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CloseChildEnd();
        ParentEnd.Dispose();
    }
}
