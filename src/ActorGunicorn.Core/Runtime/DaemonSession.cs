using System.Diagnostics;
using System.Globalization;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// <c>-D/--daemon</c>. .NET cannot fork, so the command starts the executable again (same arguments, directory and
/// environment) with the write end of a pipe (<c>ACTORGUNICORN_DAEMON_READY_FD</c>) and waits: the daemon calls
/// setsid(2), sets the umask to 022 (gunicorn's <c>daemonize</c>), binds its listeners, then writes one byte and moves
/// its standard streams to <c>/dev/null</c>. The command exits 0 on that byte, or with the daemon's exit code when
/// the pipe closes without it, so a daemon that cannot start is reported where it was started.
/// </summary>
internal sealed class DaemonSession
{
    /// <summary>The environment variable that marks the daemon process and names its readiness pipe.</summary>
    public const string ReadyFdVariable = "ACTORGUNICORN_DAEMON_READY_FD";

    // gunicorn's daemonize sets 0o022: files the daemon creates are not writable by group and others.
    private const uint DaemonUmask = 0b_000_010_010;

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(30);

    private readonly HashSet<string> _detach;
    private int _readyFd;

    private DaemonSession(int readyFd, HashSet<string> detach)
    {
        _readyFd = readyFd;
        _detach = detach;
    }

    /// <summary>
    /// Whether this command should start a daemon and exit: --daemon is set and this process is neither the daemon
    /// nor a USR2 child (which is already detached, as gunicorn skips <c>daemonize</c> under <c>GUNICORN_FD</c>).
    /// </summary>
    public static bool ShouldLaunch(ServerSettings settings) =>
        settings.Daemon
        && Environment.GetEnvironmentVariable(ReadyFdVariable) is null
        && BinaryUpgrade.ParentFromEnvironment() == 0;

    /// <summary>Starts the daemon and waits until it listens; returns this command's exit code.</summary>
    public static async Task<int> LaunchAsync(ArbiterStartup startup, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(startup);
        ArgumentNullException.ThrowIfNull(error);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            await error.WriteLineAsync("Warning: you shouldn't use --daemon when systemd starts the server as a Type=notify service").ConfigureAwait(false);
        }

        int readFd, writeFd;
        try
        {
            (readFd, writeFd) = Libc.CreatePipe();
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"Error: --daemon: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        Process daemon;
        try
        {
            lock (DescriptorInheritance.SpawnLock)
            {
                Libc.SetInheritable(writeFd, inheritable: true);
                daemon = Process.Start(startup.StartInfo(new Dictionary<string, string>
                {
                    [ReadyFdVariable] = writeFd.ToString(CultureInfo.InvariantCulture),
                })) ?? throw new InvalidOperationException("the daemon did not start");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Libc.Close(readFd);
            await error.WriteLineAsync($"Error: --daemon: cannot start the daemon: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        finally
        {
            Libc.Close(writeFd);
        }

        using (daemon)
        {
            bool ready = await Task.Run(() => ReadOneByte(readFd)).ConfigureAwait(false);
            Libc.Close(readFd);
            if (ready)
            {
                return ExitCodes.Success;
            }

            // The daemon closed the pipe without saying it listens: it is exiting; report how.
            using var wait = new CancellationTokenSource(ExitWait);
            try
            {
                await daemon.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                return daemon.ExitCode == 0 ? ExitCodes.Failure : daemon.ExitCode;
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>
    /// In the daemon: leaves the launcher's session and sets the umask; null when this process is not the daemon.
    /// The variable is removed, so workers and a later USR2 child are not taken for daemons.
    /// </summary>
    public static DaemonSession? Begin(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = Environment.GetEnvironmentVariable(ReadyFdVariable);
        if (text is null)
        {
            return null;
        }

        Environment.SetEnvironmentVariable(ReadyFdVariable, null);
        Libc.UnsetEnv(ReadyFdVariable);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
        {
            fd = -1;
        }
        else
        {
            Libc.SetInheritable(fd, inheritable: false);
        }

        // Not a process group leader (the launcher started it), so setsid succeeds: no controlling terminal.
        Libc.SetSid();
        _ = Libc.Umask(DaemonUmask);

        // The streams as the launcher left them, before --log-file takes descriptor 2. With
        // --enable-stdio-inheritance, output and error stay unless they are a terminal (gunicorn's rule).
        var detach = new HashSet<string>(StringComparer.Ordinal);
        AddTarget(detach, 0, always: true);
        AddTarget(detach, 1, always: !settings.EnableStdioInheritance);
        AddTarget(detach, 2, always: !settings.EnableStdioInheritance);
        return new DaemonSession(fd, detach);
    }

    /// <summary>The listeners are open: release the launcher and detach the standard streams.</summary>
    public unsafe void Ready()
    {
        if (_readyFd >= 0)
        {
            byte ready = 1;
            Libc.Write(_readyFd, &ready, 1);
            Libc.Close(_readyFd);
            _readyFd = -1;
        }

        int devNull = Libc.Open("/dev/null", Libc.ORdwr | Libc.OCloexec, 0);
        if (devNull < 0)
        {
            return;
        }

        // The runtime keeps duplicates of the standard streams (Console's own, and its early copies), so pointing
        // descriptors 0, 1 and 2 at /dev/null is not enough: every descriptor that is the same open stream as one
        // being detached is pointed there too, or the launcher's terminal (or pipe) would stay attached. A log file
        // that has become descriptor 2 is another stream, and stays.
        foreach (var fd in OpenDescriptors())
        {
            if (fd != devNull && Target(fd) is string target && _detach.Contains(target))
            {
                // Descriptors 0 to 2 are inherited by workers as their standard streams; the runtime's copies are not.
                _ = fd <= 2 ? Libc.Dup2(devNull, fd) : Libc.Dup3(devNull, fd, Libc.OCloexec);
            }
        }

        Libc.Close(devNull);
    }

    private static void AddTarget(HashSet<string> targets, int fd, bool always)
    {
        if (Target(fd) is string target && target != "/dev/null" && (always || IsTerminal(target)))
        {
            targets.Add(target);
        }
    }

    private static bool IsTerminal(string target) =>
        target.StartsWith("/dev/pts/", StringComparison.Ordinal) || target.StartsWith("/dev/tty", StringComparison.Ordinal);

    // What a descriptor refers to, as /proc shows it: "pipe:[123]", "/dev/pts/0", a file's path.
    private static string? Target(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<int> OpenDescriptors() =>
        [.. Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) ? fd : -1)
            .Where(fd => fd >= 0)];

    private static unsafe bool ReadOneByte(int fd)
    {
        byte value;
        while (true)
        {
            nint read = Libc.Read(fd, &value, 1);
            if (read >= 0 || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != 4)
            {
                return read == 1;
            }
        }
    }
}
