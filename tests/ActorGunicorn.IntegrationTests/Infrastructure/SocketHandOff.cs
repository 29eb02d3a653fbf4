namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>How a listening socket reaches the server in <see cref="SocketHandOff"/>.</summary>
internal enum HandOff
{
    /// <summary>As systemd passes it: descriptor 3 with <c>LISTEN_FDS=1</c> and <c>LISTEN_PID</c> = the server's pid.</summary>
    Systemd,

    /// <summary>As systemd would for another process: <c>LISTEN_PID</c> names pid 1, so the server must ignore it.</summary>
    SystemdForAnotherProcess,

    /// <summary>A plain inherited descriptor, for <c>--bind fd://N</c>.</summary>
    Descriptor,
}

/// <summary>
/// Starts the server with a listening socket it did not create, the way systemd's socket activation or a shell's
/// descriptor redirection does: a small Python wrapper binds the socket, puts it at the wanted descriptor, sets the
/// variables, and execs the server (exec keeps the pid, so <c>LISTEN_PID</c> is the server's own).
/// </summary>
internal static class SocketHandOff
{
    private const string Wrapper = """
        import os, socket, sys
        kind, address, fd, how, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5], 8)
        argv = sys.argv[6:]
        if kind == "tcp":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
        else:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(address)
            os.chmod(address, mode)
        s.listen(128)
        if s.fileno() != fd:
            os.dup2(s.fileno(), fd)
            s.close()
        os.set_inheritable(fd, True)
        env = dict(os.environ)
        if how == "Systemd":
            env["LISTEN_FDS"], env["LISTEN_PID"] = "1", str(os.getpid())
        elif how == "SystemdForAnotherProcess":
            env["LISTEN_FDS"], env["LISTEN_PID"] = "1", "1"
        os.execve(argv[0], argv, env)
        """;

    /// <summary>Starts the server on a TCP socket (127.0.0.1, a free port) handed over at <paramref name="fd"/>.</summary>
    public static ServerUnderTest StartTcp(HandOff how, int fd, IEnumerable<string> args) =>
        Start("tcp", "-", fd, how, "0", args, null);

    /// <summary>Starts the server on a Unix socket at <paramref name="path"/>, created with <paramref name="octalMode"/>.</summary>
    public static ServerUnderTest StartUnix(HandOff how, int fd, string path, string octalMode, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Start("unix", path, fd, how, octalMode, args, environment);

    private static ServerUnderTest Start(string kind, string address, int fd, HandOff how, string octalMode, IEnumerable<string> args, IDictionary<string, string>? environment) =>
        ServerUnderTest.StartTool("python3", ["-c", Wrapper, kind, address, $"{fd}", how.ToString(), octalMode, Paths.Executable, .. args], environment);
}
