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
    /// The fleet as one table: a line per host (host, roles, member status, health, its arbiter's pid in the PID column,
    /// desired workers, the overlay version its workers run, flagged when it holds a newer one for its next reload or
    /// is behind the fleet's) followed by a line per worker (pid, uptime, state, requests, RSS), which leaves the
    /// host's columns blank. A host whose last report is older than the coordinator's freshness limit says how old,
    /// and its workers' states carry a '?': they are its last known state. UPTIME is time since spawn, as
    /// <c>uptime</c> in the JSON; gunicorn's age (the spawn counter) is <c>age</c> there. Seeds that are no members yet
    /// are named in the first line.
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
        text.Append(status.AwaitedSeeds.Count == 0 ? string.Empty : $"; waiting for {string.Join(", ", status.AwaitedSeeds)} to join");
        text.Append(status.Activity is null ? "\n" : $"; {status.Activity}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"HOST".PadRight(hostWidth)} {"ROLE".PadRight(roleWidth)} {"MEMBER",-11} {"HEALTH",-9} {"PID",7} {"UPTIME",7} {"STATE",-10} {"REQUESTS",9} {"RSS MiB",8}\n");
        foreach (var (host, roles, entry) in rows)
        {
            var prefix = $"{host.PadRight(hostWidth)} {roles.PadRight(roleWidth)} {entry.MemberStatus,-11} {(entry.Healthy ? "healthy" : "unhealthy"),-9}";
            var pid = entry.ArbiterPid == 0 ? "-" : entry.ArbiterPid.ToString(CultureInfo.InvariantCulture);
            var stale = entry.ReportAge is { } age && age > FleetCoordinatorSettings.Default.ReportFreshness;
            text.Append(CultureInfo.InvariantCulture, $"{prefix} {pid,7} {"-",7} {"-",-10} {"-",9} {"-",8}  {HostNote(entry, status.ConfigVersion)}\n");
            var underHost = new string(' ', prefix.Length);
            foreach (var worker in entry.Workers)
            {
                var state = stale ? worker.State + "?" : worker.State;
                text.Append(CultureInfo.InvariantCulture, $"{underHost} {worker.Pid,7} {ControlText.Duration(worker.Uptime),7} {state,-10} {worker.RequestsServed,9} {worker.RssBytes / (1024.0 * 1024.0),8:0.0}\n");
            }
        }

        return text.ToString();
    }

    // "2 desired, config v3", then what a reader must not take for granted: a newer overlay held for the next reload,
    // a host behind the fleet's version, rows that are a stale report's.
    private static string HostNote(FleetCoordinator.HostEntry entry, long fleetVersion)
    {
        var note = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{entry.DesiredWorkers} desired, config v{entry.ServingConfigVersion}"));
        if (entry.ConfigVersion > entry.ServingConfigVersion)
        {
            note.Append(CultureInfo.InvariantCulture, $" (v{entry.ConfigVersion} on its next reload)");
        }

        if (entry.ConfigVersion < fleetVersion)
        {
            note.Append(CultureInfo.InvariantCulture, $" (behind v{fleetVersion})");
        }

        if (entry.ReportAge is null)
        {
            note.Append("; no report yet");
        }
        else if (entry.ReportAge > FleetCoordinatorSettings.Default.ReportFreshness)
        {
            note.Append(CultureInfo.InvariantCulture, $"; stale: last report {ControlText.Duration(entry.ReportAge.Value)} ago");
        }

        return note.ToString();
    }

    /// <summary>A count with its noun, in the singular for one (<c>1 host</c>, <c>3 hosts</c>).</summary>
    internal static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
