using System.Net.Sockets;

namespace ActorGunicorn.Transport;

/// <summary>
/// Closes a listening socket to new connections while the connections already queued on it stay acceptable: the
/// step between "serving" and "closed" that a stopping server needs so that no connection is accepted by the kernel
/// and then reset when the last copy of the socket closes (gunicorn #3397). A connection attempted once the gate is
/// closed never completes; one attempted once the socket is closed is refused.
/// </summary>
/// <remarks>
/// <para>
/// TCP: a classic BPF socket filter that drops segments with SYN set and ACK clear. The kernel runs a listener's filter
/// on every segment addressed to it, so new handshakes never start (the client retransmits its SYN, 1 s later, and is
/// refused once the socket is closed, or reaches another listener of a <c>SO_REUSEPORT</c> group), while the last ACK
/// of a handshake already under way still completes it into the accept queue. Accepted sockets inherit the filter,
/// which never matches their traffic. <c>shutdown(SHUT_RD)</c> would also stop new connections, but on a TCP listener
/// it aborts the queue.
/// </para>
/// <para>
/// Unix: <c>shutdown(SHUT_RD)</c>, which makes <c>connect()</c> fail with ECONNREFUSED at once and keeps the queue.
/// It cannot be undone, and socket filters do not apply to Unix stream connections.
/// </para>
/// The socket is shared by every process holding a copy of it, so one call closes the gate for all of them.
/// </remarks>
internal static class ListenerGate
{
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private const int SoDetachFilter = 27;

    // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }: the program sees the TCP header at offset 0.
    private const ushort LoadByteAbsolute = 0x30;
    private const ushort AndConstant = 0x54;
    private const ushort JumpIfEqual = 0x15;
    private const ushort Return = 0x06;
    private const int TcpFlagsOffset = 13;
    private const uint Syn = 0x02;
    private const uint Ack = 0x10;

    /// <summary>
    /// Whether the kernel moves what a closing SO_REUSEPORT listener still holds (its accept queue and handshakes under
    /// way) to the other listeners of its group (<c>net.ipv4.tcp_migrate_req</c>, Linux 5.14+); without it they are
    /// reset.
    /// </summary>
    public static bool KernelMigratesReusePortQueues()
    {
        try
        {
            return File.ReadAllText("/proc/sys/net/ipv4/tcp_migrate_req").Trim() != "0";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a gate closed on <paramref name="listener"/> can be opened again (TCP only).</summary>
    public static bool CanReopen(Socket listener) => listener.ProtocolType == ProtocolType.Tcp;

    /// <summary>Stops <paramref name="listener"/> taking new connections; those queued stay acceptable.</summary>
    /// <exception cref="SocketException">The kernel refused (the socket is not a listener).</exception>
    public static unsafe void Close(Socket listener)
    {
        if (listener.ProtocolType != ProtocolType.Tcp)
        {
            listener.Shutdown(SocketShutdown.Receive);
            return;
        }

        ulong* program = stackalloc ulong[5];
        program[0] = Instruction(LoadByteAbsolute, 0, 0, TcpFlagsOffset);
        program[1] = Instruction(AndConstant, 0, 0, Syn | Ack);
        program[2] = Instruction(JumpIfEqual, 1, 0, Syn);   // SYN without ACK: a new handshake → drop
        program[3] = Instruction(Return, 0, 0, uint.MaxValue); // anything else: keep the whole segment
        program[4] = Instruction(Return, 0, 0, 0);             // drop

        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the program.
        Span<byte> fprog = stackalloc byte[16];
        fprog.Clear();
        BitConverter.TryWriteBytes(fprog, (ushort)5);
        BitConverter.TryWriteBytes(fprog[8..], (ulong)program);
        listener.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
    }

    /// <summary>Lets <paramref name="listener"/> take new connections again (a TCP socket someone else still serves on).</summary>
    public static void Reopen(Socket listener)
    {
        if (CanReopen(listener))
        {
            listener.SetRawSocketOption(SolSocket, SoDetachFilter, BitConverter.GetBytes(0));
        }
    }

    private static ulong Instruction(ushort code, byte jumpIfTrue, byte jumpIfFalse, uint k) =>
        code | ((ulong)jumpIfTrue << 16) | ((ulong)jumpIfFalse << 24) | ((ulong)k << 32);
}
