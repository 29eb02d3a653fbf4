using System.Runtime.InteropServices;

namespace ActorGunicorn.Benchmarks;

/// <summary>The two libc calls the in-process worker needs and .NET does not expose.</summary>
internal static partial class Posix
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    /// <summary>A connected pair of Unix stream sockets, as the arbiter makes for each worker's control channel.</summary>
    public static (int Ours, int Theirs) SocketPair()
    {
        Span<int> fds = stackalloc int[2];
        if (NativeSocketPair(AfUnix, SockStream | SockCloexec, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>A second descriptor for the same socket, so the worker can own and close its copy.</summary>
    public static int Duplicate(int fd)
    {
        int copy = NativeDup(fd);
        return copy >= 0 ? copy : throw new IOException($"dup failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int NativeSocketPair(int domain, int type, int protocol, Span<int> fds);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int NativeDup(int fd);
}
