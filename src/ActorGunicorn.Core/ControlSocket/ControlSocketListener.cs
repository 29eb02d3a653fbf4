using System.Globalization;
using System.Net.Sockets;
using ActorGunicorn.Interop;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// The arbiter's listening control socket. It has its mode before anyone can reach it: it is bound inside a private
/// directory (mode 0700) next to its final path, chmod-ed, and only then renamed into place. Changing the umask
/// around bind(2) would do the same, but the umask belongs to the whole process, and other threads create files too.
/// A socket file left by a server that is gone is replaced (the rename does it atomically); a live server's socket
/// and any other file are left alone. Disposing closes the socket and removes the file, unless another server
/// answers there by then.
/// </summary>
internal sealed class ControlSocketListener : IDisposable
{
    // A control client connects, asks and leaves; a handful waiting at once is plenty.
    private const int Backlog = 16;

    private int _disposed;

    private ControlSocketListener(string path, Socket socket)
    {
        Path = path;
        Socket = socket;
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>The listening socket (close-on-exec: workers never inherit it).</summary>
    public Socket Socket { get; }

    /// <summary>Binds the control socket at <paramref name="path"/> with <paramref name="mode"/>.</summary>
    /// <param name="path">An absolute path.</param>
    /// <param name="mode">The permission bits, e.g. 0o600.</param>
    /// <returns>The listening socket.</returns>
    /// <exception cref="ControlSocketInUseException">Another running server answers at the path.</exception>
    /// <exception cref="ControlSocketException">The socket cannot be created there.</exception>
    public static ControlSocketListener Open(string path, int mode)
    {
        var directory = System.IO.Path.GetDirectoryName(path) ?? throw new ControlSocketException(path, "it names no file");
        var staging = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        var stagedSocket = System.IO.Path.Combine(staging, "s");
        if (ControlSocketPath.CheckLength(path) is { } tooLong)
        {
            throw new ControlSocketException(path, tooLong);
        }

        if (ControlSocketPath.CheckLength(stagedSocket) is not null)
        {
            throw new ControlSocketException(path, $"the path is too long: it is bound as '{stagedSocket}' first, and a Unix socket path holds at most {ControlSocketPath.MaxBytes} bytes");
        }

        try
        {
            // Only a missing directory is created, private; an existing one keeps its mode.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            bool stale = RefuseUnlessFree(path);
            return new ControlSocketListener(path, BindPrivately(path, mode, staging, stagedSocket, replace: stale));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SocketException)
        {
            throw new ControlSocketException(path, ex.Message, ex);
        }
    }

    /// <summary>Whether a server answers at <paramref name="path"/>.</summary>
    /// <param name="path">A socket path.</param>
    public static bool Answers(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Closes the socket and removes its file, unless another server has taken the path since.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Socket.Dispose();
        try
        {
            // With our socket closed, nobody should answer here; somebody who does has replaced the file (an upgraded
            // arbiter taking over, say), and the file is theirs.
            if (File.Exists(Path) && Libc.IsSocketFile(Path) && !Answers(Path))
            {
                File.Delete(Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The directory went away or became unwritable: there is nothing left to clean up that we may touch.
        }
    }

    /// <summary>Throws unless the path is free; true when a stale socket file is there to be replaced.</summary>
    private static bool RefuseUnlessFree(string path)
    {
        if (Directory.Exists(path) || (File.Exists(path) && !Libc.IsSocketFile(path)))
        {
            throw new ControlSocketException(path, "it exists and is not a socket");
        }

        if (File.Exists(path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return true; // Nobody listens: the file is left from a server that is gone.
            }

            throw new ControlSocketInUseException(path);
        }

        return false;
    }

    private static Socket BindPrivately(string path, int mode, string staging, string stagedSocket, bool replace)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(stagedSocket));
            File.SetUnixFileMode(stagedSocket, (UnixFileMode)mode);
            socket.Listen(Backlog);
            // rename(2): the path names the old stale file or the new socket, never nothing, never a socket without
            // its mode. Where the path was free, a server that appeared there since is not replaced: the move fails.
            try
            {
                File.Move(stagedSocket, path, overwrite: replace);
            }
            catch (IOException) when (!replace && File.Exists(path))
            {
                throw new ControlSocketInUseException(path);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
