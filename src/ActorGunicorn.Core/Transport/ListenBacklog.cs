using System.Buffers.Binary;
using System.Net.Sockets;

namespace ActorGunicorn.Transport;

/// <summary>How many connections wait in a listener's accept queue.</summary>
internal static class ListenBacklog
{
    private const int TcpInfoOption = 11;

    // struct tcp_info: eight one-byte fields, then u32 rto, ato, snd_mss, rcv_mss, unacked. For a listening socket
    // Linux reports the accept queue's length in tcpi_unacked.
    private const int UnackedOffset = 24;

    /// <summary>
    /// How many connections wait, all together, in the accept queues of the listeners the workers share (TCP
    /// listeners the arbiter listens on; a <c>--reuse-port</c> one is only bound there, each worker having a queue of
    /// its own); null when none of them can tell.
    /// </summary>
    public static int? Waiting(IEnumerable<Listener> listeners)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        int? total = null;
        foreach (var listener in listeners)
        {
            try
            {
                if (!listener.IsPerWorker && QueuedConnections(listener.Socket) is { } queued)
                {
                    total = (total ?? 0) + queued;
                }
            }
            catch (ObjectDisposedException)
            {
                // Closed while the server stops: it has nothing waiting that anyone could serve.
            }
        }

        return total;
    }

    /// <summary>
    /// The length of the accept queue of a TCP listener, or null when the kernel cannot say (a Unix socket, or
    /// TCP_INFO refused).
    /// </summary>
    public static int? QueuedConnections(Socket listener)
    {
        if (listener.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return null;
        }

        Span<byte> info = stackalloc byte[104];
        try
        {
            int length = listener.GetRawSocketOption((int)SocketOptionLevel.Tcp, TcpInfoOption, info);
            return length >= UnackedOffset + 4 ? (int)BinaryPrimitives.ReadUInt32LittleEndian(info[UnackedOffset..]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
