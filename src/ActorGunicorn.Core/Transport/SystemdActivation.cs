using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>
/// systemd's side of the process model: socket activation (<c>LISTEN_FDS</c>, <c>LISTEN_PID</c>; descriptors from 3
/// on, as <c>sd_listen_fds(3)</c>) and readiness notification (<c>sd_notify(3)</c>: a datagram to
/// <c>NOTIFY_SOCKET</c>), as in gunicorn's <c>systemd.py</c>.
/// </summary>
internal static class SystemdActivation
{
    /// <summary>The first descriptor systemd passes (<c>SD_LISTEN_FDS_START</c>).</summary>
    public const int FirstDescriptor = 3;

    /// <summary>
    /// The descriptors systemd passed to <paramref name="pid"/>: none unless <c>LISTEN_PID</c> names it, since the
    /// variables may have leaked from a parent that was activated.
    /// </summary>
    public static IReadOnlyList<int> ListenFds(string? listenFds, string? listenPid, int pid)
    {
        if (!int.TryParse(listenPid, NumberStyles.None, CultureInfo.InvariantCulture, out int forPid) || forPid != pid
            || !int.TryParse(listenFds, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
        {
            return [];
        }

        return Enumerable.Range(FirstDescriptor, count).ToList();
    }

    /// <summary>
    /// Reads socket activation's descriptors for this process and removes both variables from the environment, so
    /// neither workers nor applications take them for their own.
    /// </summary>
    public static IReadOnlyList<int> TakeListenFds()
    {
        var fds = ListenFds(
            Environment.GetEnvironmentVariable("LISTEN_FDS"),
            Environment.GetEnvironmentVariable("LISTEN_PID"),
            Environment.ProcessId);
        foreach (var name in (string[])["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"])
        {
            Environment.SetEnvironmentVariable(name, null);
            Libc.UnsetEnv(name);
        }

        return fds;
    }

    /// <summary>
    /// Sends <paramref name="state"/> (for example <c>READY=1</c>) to the service manager when <c>NOTIFY_SOCKET</c>
    /// is set; does nothing otherwise. A name starting with <c>@</c> is in the abstract namespace.
    /// </summary>
    /// <returns>Null when sent or not wanted, else why it could not be sent.</returns>
    public static string? Notify(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            var endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
            socket.SendTo(Encoding.UTF8.GetBytes(state), endPoint);
            return null;
        }
        catch (SocketException ex)
        {
            return $"sd_notify to {path} failed: {ex.Message}";
        }
    }
}
