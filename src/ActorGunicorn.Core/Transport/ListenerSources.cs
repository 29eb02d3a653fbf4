using System.Globalization;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Transport;

/// <summary>One listener the arbiter is to open: an address to bind, or a descriptor it already holds.</summary>
internal abstract record ListenerSource
{
    private ListenerSource()
    {
    }

    /// <summary>Bind this TCP or Unix address.</summary>
    /// <param name="Address">The address.</param>
    public sealed record Bind(BindAddress Address) : ListenerSource;

    /// <summary>Adopt this open, bound descriptor.</summary>
    /// <param name="Fd">The descriptor number.</param>
    /// <param name="Origin">Who bound it: systemd, the USR2 parent, or the user (<c>fd://N</c>).</param>
    public sealed record Inherit(int Fd, ListenerOrigin Origin) : ListenerSource;
}

/// <summary>
/// Which listeners the arbiter opens, in gunicorn's order of precedence (<c>Arbiter.start</c>, <c>create_sockets</c>):
/// systemd's descriptors, else those a USR2 parent passed, else the <c>--bind</c> addresses. Inherited descriptors
/// replace the addresses, which they already are; <c>fd://N</c> addresses are kept in every case.
/// </summary>
internal static class ListenerSources
{
    /// <summary>The environment variable that passes listener descriptors to a USR2 child (gunicorn's <c>GUNICORN_FD</c>).</summary>
    public const string UpgradeFdsVariable = "ACTORGUNICORN_FD";

    /// <summary>Set with <see cref="UpgradeFdsVariable"/> when those descriptors came from systemd: they are never unlinked.</summary>
    public const string UpgradeFromSystemdVariable = "ACTORGUNICORN_SYSTEMD";

    /// <summary>The listeners to open.</summary>
    /// <param name="bind">The <c>--bind</c> addresses.</param>
    /// <param name="systemdFds">Descriptors from socket activation, or null.</param>
    /// <param name="upgradeFds">Descriptors from a USR2 parent, or null.</param>
    /// <param name="upgradeFromSystemd">Whether the USR2 parent had its descriptors from systemd.</param>
    public static IReadOnlyList<ListenerSource> Plan(
        IReadOnlyList<BindAddress> bind,
        IReadOnlyList<int>? systemdFds,
        IReadOnlyList<int>? upgradeFds,
        bool upgradeFromSystemd)
    {
        var (inherited, origin) = systemdFds is { Count: > 0 }
            ? (systemdFds, ListenerOrigin.Systemd)
            : (upgradeFds, upgradeFromSystemd ? ListenerOrigin.Systemd : ListenerOrigin.Upgrade);
        var sources = new List<ListenerSource>();
        if (inherited is { Count: > 0 })
        {
            sources.AddRange(inherited.Distinct().Select(fd => new ListenerSource.Inherit(fd, origin)));
        }

        foreach (var address in bind)
        {
            switch (address)
            {
                case FileDescriptorBindAddress fd when inherited?.Contains(fd.Descriptor) != true:
                    sources.Add(new ListenerSource.Inherit(fd.Descriptor, ListenerOrigin.Descriptor));
                    break;
                case FileDescriptorBindAddress:
                    break;
                case var other when inherited is not { Count: > 0 }:
                    sources.Add(new ListenerSource.Bind(other));
                    break;
            }
        }

        return sources;
    }

    /// <summary>Parses a comma-separated list of descriptor numbers; null when absent or malformed.</summary>
    public static IReadOnlyList<int>? ParseFds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var fds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            {
                return null;
            }

            fds.Add(fd);
        }

        return fds.Count > 0 ? fds : null;
    }

    /// <summary>
    /// Whether closing a listener should remove its Unix socket file: only a file this arbiter's line
    /// bound from a <c>unix:</c> address, never one from systemd or <c>fd://</c>, and never while a USR2 peer (parent
    /// or child) still serves on it (gunicorn's <c>stop</c>).
    /// </summary>
    public static bool ShouldUnlink(ListenerOrigin origin, BindAddress address, IReadOnlyList<BindAddress> bind, bool upgradePeerExists) =>
        !upgradePeerExists
        && address is UnixBindAddress unix
        && (origin == ListenerOrigin.Bound || (origin == ListenerOrigin.Upgrade && bind.Contains(unix)));

    /// <summary>
    /// What the whole server's stop does with a listener's gate (<see cref="ListenerGate"/>). Closed when the socket
    /// dies with this server, so that nothing queues after the workers have taken the backlog. Left open when someone
    /// else will serve what queues: a USR2 peer's workers, or systemd, which keeps the socket for the next start. An
    /// <c>fd://</c> socket may still be held by whoever passed it, so its TCP gate is opened again just before the
    /// arbiter exits (a Unix gate cannot be, so a Unix <c>fd://</c> socket is left open).
    /// </summary>
    public static StopGate GateOnStop(ListenerOrigin origin, bool isUnix, bool upgradePeerExists) => origin switch
    {
        _ when upgradePeerExists => StopGate.LeaveOpen,
        ListenerOrigin.Systemd => StopGate.LeaveOpen,
        ListenerOrigin.Descriptor => isUnix ? StopGate.LeaveOpen : StopGate.CloseThenReopenAtExit,
        _ => StopGate.Close,
    };
}

/// <summary>What a stopping server does with a listener's gate: <see cref="ListenerSources.GateOnStop"/>.</summary>
internal enum StopGate
{
    /// <summary>Leave it open: someone else serves what queues after this server's workers are gone.</summary>
    LeaveOpen,

    /// <summary>Close it: the socket dies with this server.</summary>
    Close,

    /// <summary>Close it for the stop and open it again just before the arbiter closes its copy.</summary>
    CloseThenReopenAtExit,
}
