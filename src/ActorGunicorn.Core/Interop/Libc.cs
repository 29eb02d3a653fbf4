using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>
/// The few libc calls .NET does not expose: descriptor inheritance across exec, socketpairs for the control channel,
/// signals to other processes, pointing stderr at a log file, sendfile(2), and _exit(2).
/// </summary>
internal static partial class Libc
{
    private const string Library = "libc";

    internal const int FSetFd = 2;
    internal const int FdCloexec = 1;
    internal const int AfUnix = 1;
    internal const int SockStream = 1;
    internal const int SockCloexec = 0x80000;

    internal const int OWronly = 0x1;
    internal const int OCreat = 0x40;
    internal const int OAppend = 0x400;
    internal const int OCloexec = 0x80000;

    internal const int SigAbrt = 6;
    internal const int SigKill = 9;
    internal const int SigUsr1 = 10;
    internal const int SigTerm = 15;

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    internal static unsafe partial int SocketPair(int domain, int type, int protocol, int* fds);

    internal const int EAgain = 11;

    [LibraryImport(Library, EntryPoint = "sendfile", SetLastError = true)]
    internal static partial nint SendFile(int outFd, int inFd, ref long offset, nuint count);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>_exit(2): ends the process now, running no exit handlers (a worker aborted for a timeout).</summary>
    [LibraryImport(Library, EntryPoint = "_exit")]
    internal static partial void ExitImmediately(int status);


    /// <summary>Lets (or stops) a descriptor survive exec into a child process.</summary>
    internal static void SetInheritable(int fd, bool inheritable)
    {
        if (Fcntl(fd, FSetFd, inheritable ? 0 : FdCloexec) != 0)
        {
            throw new IOException($"fcntl(F_SETFD) failed on fd {fd}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>
    /// Whether the path names a Unix socket. .NET reports no file type beyond file/directory/link, but open(2) on a
    /// socket fails with ENXIO on every Linux architecture, which needs no struct layout.
    /// </summary>
    internal static bool IsSocketFile(string path)
    {
        const int oRdonly = 0, oNonblock = 0x800, enxio = 6;
        int fd = Open(path, oRdonly | oNonblock | OCloexec, 0);
        if (fd >= 0)
        {
            Close(fd);
            return false;
        }

        return Marshal.GetLastPInvokeError() == enxio;
    }

    /// <summary>The message for the last failed call, for error texts.</summary>
    internal static string LastError() => Marshal.GetLastPInvokeErrorMessage();
}
