using System.Globalization;
using System.Text;
using ActorGunicorn.ControlSocket;

namespace ActorGunicorn.Cluster;

/// <summary>What <c>actorgunicorn ctl --cluster</c> prints, as pure functions.</summary>
public static class FleetText
{
    /// <summary>The <c>HOST:PORT</c> part of a cluster address (<c>akka.tcp://actorgunicorn@10.0.0.5:4053</c>).</summary>
    /// <param name="address">The address.</param>
    /// <returns>The host and port, or the address itself when it has no <c>@</c>.</returns>
    public static string HostOf(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at < 0 ? address : address[(at + 1)..].TrimEnd('/');
    }

    /// <summary>
    /// The fleet as one table: a line per host (host, roles, member status, health, its arbiter's pid in the PID column, desired workers,
    /// overlay version, flagged when behind the fleet's) followed by a line per worker (pid, uptime, state, requests,
    /// RSS), which leaves the host's columns blank. UPTIME is time since spawn, as <c>uptime</c> in the JSON; gunicorn's
    /// age (the spawn counter) is <c>age</c> there.
    /// </summary>
    /// <param name="status">The coordinator's answer.</param>
    /// <returns>The table, ending with a newline.</returns>
    public static string Status(FleetCoordinator.FleetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var rows = status.Hosts.Select(h => (Host: HostOf(h.Address), Roles: h.Roles.Count == 0 ? "-" : string.Join(',', h.Roles), Entry: h)).ToList();
        var hostWidth = rows.Select(r => r.Host.Length).Append("HOST".Length).Max();
        var roleWidth = rows.Select(r => r.Roles.Length).Append("ROLE".Length).Max();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"fleet: {Count(status.Hosts.Count, "host")}, {Count(status.Hosts.Sum(h => h.Workers.Count), "worker")}, config version {status.ConfigVersion}");
        text.Append(status.Activity is null ? "\n" : $"; {status.Activity}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"HOST".PadRight(hostWidth)} {"ROLE".PadRight(roleWidth)} {"MEMBER",-11} {"HEALTH",-9} {"PID",7} {"UPTIME",7} {"STATE",-9} {"REQUESTS",9} {"RSS MiB",8}\n");
        foreach (var (host, roles, entry) in rows)
        {
            var prefix = $"{host.PadRight(hostWidth)} {roles.PadRight(roleWidth)} {entry.MemberStatus,-11} {(entry.Healthy ? "healthy" : "unhealthy"),-9}";
            var pid = entry.ArbiterPid == 0 ? "-" : entry.ArbiterPid.ToString(CultureInfo.InvariantCulture);
            var behind = entry.ConfigVersion < status.ConfigVersion ? $" (behind v{status.ConfigVersion})" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{prefix} {pid,7} {"-",7} {"-",-9} {"-",9} {"-",8}  {entry.DesiredWorkers} desired, config v{entry.ConfigVersion}{behind}\n");
            var underHost = new string(' ', prefix.Length);
            foreach (var worker in entry.Workers)
            {
                text.Append(CultureInfo.InvariantCulture, $"{underHost} {worker.Pid,7} {ControlText.Duration(worker.Uptime),7} {worker.State,-9} {worker.RequestsServed,9} {worker.RssBytes / (1024.0 * 1024.0),8:0.0}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>A count with its noun, in the singular for one (<c>1 host</c>, <c>3 hosts</c>).</summary>
    internal static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
