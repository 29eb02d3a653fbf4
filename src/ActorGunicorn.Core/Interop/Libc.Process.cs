using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>
/// Process-wide calls for the arbiter's process model: the file mode mask, sessions (daemon mode), the parent's pid
/// (binary upgrade), and the worker's identity switch (<c>--user</c>, <c>--group</c>). glibc applies the set*id and
/// setgroups calls to every thread of the process, which is what a multi-threaded .NET process needs.
/// </summary>
internal static partial class Libc
{
    internal const int ORdwr = 0x2;

    [LibraryImport(Library, EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);

    [LibraryImport(Library, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport(Library, EntryPoint = "getsid", SetLastError = true)]
    internal static partial int GetSid(int pid);

    [LibraryImport(Library, EntryPoint = "getppid")]
    internal static partial int GetParentPid();

    [LibraryImport(Library, EntryPoint = "setuid", SetLastError = true)]
    internal static partial int SetUid(uint uid);

    [LibraryImport(Library, EntryPoint = "setgid", SetLastError = true)]
    internal static partial int SetGid(uint gid);

    [LibraryImport(Library, EntryPoint = "getuid")]
    internal static partial uint GetUid();

    [LibraryImport(Library, EntryPoint = "getgid")]
    internal static partial uint GetGid();

    [LibraryImport(Library, EntryPoint = "setgroups", SetLastError = true)]
    internal static unsafe partial int SetGroups(nuint size, uint* groups);

    [LibraryImport(Library, EntryPoint = "initgroups", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int InitGroups(string user, uint group);

    [LibraryImport(Library, EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Chown(string path, uint owner, uint group);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    internal static unsafe partial int Pipe2(int* fds, int flags);

    /// <summary>A pipe whose both ends are close-on-exec: (read end, write end).</summary>
    /// <exception cref="IOException">pipe2(2) failed.</exception>
    internal static unsafe (int Read, int Write) CreatePipe()
    {
        int* fds = stackalloc int[2];
        if (Pipe2(fds, OCloexec) != 0)
        {
            throw new IOException($"pipe2 failed: {LastError()}");
        }

        return (fds[0], fds[1]);
    }

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(int fd, byte* address, uint length);

    [LibraryImport(Library, EntryPoint = "listen", SetLastError = true)]
    private static partial int Listen(int fd, int backlog);

    /// <summary>
    /// A Unix stream socket bound to <paramref name="path"/> and listening (close-on-exec). Bound here rather than by
    /// <c>Socket.Bind</c>, because a .NET socket deletes the file it bound when it is disposed, and the file must
    /// outlive this process while a USR2 peer serves on it. It listens the moment after the bind: a client that sees
    /// the file appear may connect at once, and is refused by a socket that is bound but not listening yet.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket(2), bind(2) or listen(2) failed.</exception>
    /// <exception cref="IOException">The path is too long for a Unix socket address.</exception>
    internal static unsafe int ListenOnUnixSocket(string path, int backlog)
    {
        const int sunPathLength = 108;
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= sunPathLength)
        {
            throw new IOException($"the Unix socket path is longer than {sunPathLength - 1} bytes");
        }

        int fd = Socket(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
        }

        // struct sockaddr_un: sa_family_t sun_family; char sun_path[108].
        byte* address = stackalloc byte[2 + sunPathLength];
        new Span<byte>(address, 2 + sunPathLength).Clear();
        *(ushort*)address = AfUnix;
        pathBytes.CopyTo(new Span<byte>(address + 2, sunPathLength));
        if (Bind(fd, address, (uint)(2 + pathBytes.Length + 1)) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new System.Net.Sockets.SocketException(error);
        }

        if (Listen(fd, backlog) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Close(fd);
            File.Delete(path);
            throw new System.Net.Sockets.SocketException(error);
        }

        return fd;
    }

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "dup3", SetLastError = true)]
    internal static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Library, EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int UnsetEnv(string name);
}
