using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// The listening descriptors this arbiter was handed: by systemd (<c>LISTEN_FDS</c>) or by the arbiter that started it
/// with USR2 (<c>ACTORGUNICORN_FD</c>, <c>ACTORGUNICORN_PID</c>). Read once at start; the descriptor variables are
/// removed from the environment so that no worker or application takes the descriptors for its own.
/// </summary>
/// <param name="SystemdFds">Socket activation's descriptors (empty when none are for this process).</param>
/// <param name="UpgradeFds">The USR2 parent's listeners, or null.</param>
/// <param name="UpgradeFromSystemd">Whether the USR2 parent had its listeners from systemd.</param>
/// <param name="UpgradeParentPid">The USR2 parent's pid, or 0.</param>
internal sealed record InheritedListeners(
    IReadOnlyList<int> SystemdFds,
    IReadOnlyList<int>? UpgradeFds,
    bool UpgradeFromSystemd,
    int UpgradeParentPid)
{
    /// <summary>Reads the hand-off variables and removes the descriptor ones (the parent pid stays until promotion).</summary>
    public static InheritedListeners Take()
    {
        var systemd = SystemdActivation.TakeListenFds();
        var upgradeFds = ListenerSources.ParseFds(Environment.GetEnvironmentVariable(ListenerSources.UpgradeFdsVariable));
        bool fromSystemd = Environment.GetEnvironmentVariable(ListenerSources.UpgradeFromSystemdVariable) == "1";
        foreach (var name in (string[])[ListenerSources.UpgradeFdsVariable, ListenerSources.UpgradeFromSystemdVariable])
        {
            Environment.SetEnvironmentVariable(name, null);
            Libc.UnsetEnv(name);
        }

        return new InheritedListeners(systemd, upgradeFds, fromSystemd, BinaryUpgrade.ParentFromEnvironment());
    }

    /// <summary>The listeners to open, in gunicorn's precedence: systemd, then the USR2 parent's, then --bind.</summary>
    public IReadOnlyList<ListenerSource> Sources(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ListenerSources.Plan(settings.Bind, SystemdFds, UpgradeFds, UpgradeFromSystemd);
    }
}
