using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster;

/// <summary>
/// The fleet's other decisions as pure functions: how to spread workers, when a host's reload is done, and what an
/// overlay update makes of the fleet's overlay.
/// </summary>
public static class FleetDecisions
{
    /// <summary>The most workers one host may be asked for, as the control socket's add/remove allow.</summary>
    public const int MaxWorkersPerHost = 100;

    /// <summary>
    /// The workers each host runs for a <see cref="FleetCoordinator.Scale"/>: <paramref name="count"/> each, or a
    /// total spread as evenly as possible (the first hosts in address order take the remainder).
    /// </summary>
    /// <param name="mode">Per host or total.</param>
    /// <param name="count">The number asked for.</param>
    /// <param name="hosts">The hosts to scale, in address order.</param>
    /// <param name="targets">Each host's worker count, when the request can be met.</param>
    /// <returns>Null when the request can be met, else why not.</returns>
    public static string? SplitWorkers(ScaleMode mode, int count, IReadOnlyList<string> hosts, out IReadOnlyDictionary<string, int> targets)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        targets = new Dictionary<string, int>();
        if (hosts.Count == 0)
        {
            return "no host is up to scale";
        }

        if (mode == ScaleMode.PerHost)
        {
            if (count is < 1 or > MaxWorkersPerHost)
            {
                return $"bad N '{count}' for workers per host: a whole number from 1 to {MaxWorkersPerHost}";
            }

            targets = hosts.ToDictionary(h => h, _ => count, StringComparer.Ordinal);
            return null;
        }

        if (count < hosts.Count || count > hosts.Count * MaxWorkersPerHost)
        {
            return $"bad total '{count}' for {hosts.Count} hosts: each host runs from 1 to {MaxWorkersPerHost} workers, so a whole number from {hosts.Count} to {hosts.Count * MaxWorkersPerHost}";
        }

        var each = count / hosts.Count;
        var extra = count % hosts.Count;
        targets = hosts.Select((h, i) => (h, n: each + (i < extra ? 1 : 0))).ToDictionary(p => p.h, p => p.n, StringComparer.Ordinal);
        return null;
    }

    /// <summary>
    /// Whether a host's reload is done: as many workers of the new generation (spawned after the reload, so younger
    /// than every worker then) are running as the arbiter wants. The old ones may still be draining.
    /// </summary>
    /// <param name="youngestAgeBefore">The highest worker age when the reload was asked for.</param>
    /// <param name="status">The arbiter's status now.</param>
    /// <returns>Whether the new generation serves.</returns>
    public static bool NewWorkersServe(int youngestAgeBefore, Arbiter.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Workers.Count(w => w.Age > youngestAgeBefore && w.State == "Running") >= status.DesiredWorkers;
    }

    /// <summary>The highest age among the workers, 0 when there are none (a slot still spawning has age 0).</summary>
    /// <param name="status">The arbiter's status.</param>
    /// <returns>The age.</returns>
    public static int YoungestAge(Arbiter.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Workers.Select(w => w.Age).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// What a <see cref="FleetCoordinator.DistributeConfig"/> makes of the fleet's overlay: its keys merged over the
    /// overlay in force and its unset keys removed, checked as a configuration file is (HOCON, only
    /// <c>actorgunicorn { }</c>, only settings, valid values). Each host still checks the result over its own
    /// configuration before anything is reloaded.
    /// </summary>
    /// <param name="version">The fleet's overlay version; 0 for none.</param>
    /// <param name="currentText">The text of that version, or null when the coordinator has not learned it yet.</param>
    /// <param name="update">The update.</param>
    /// <returns>The new overlay, or why there is none to distribute.</returns>
    public static OverlayMerge MergeOverlay(long version, string? currentText, FleetCoordinator.DistributeConfig update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (version > 0 && currentText is null)
        {
            return new OverlayMerge.CurrentUnknown();
        }

        try
        {
            var merged = ConfigurationOverlay.Merge(currentText ?? string.Empty, update.Hocon, update.Unset);
            var current = ConfigurationOverlay.Merge(currentText ?? string.Empty, string.Empty, []);
            return merged == current ? new OverlayMerge.Unchanged() : new OverlayMerge.Merged(merged);
        }
        catch (SettingsException error)
        {
            return new OverlayMerge.Refused(error.Message);
        }
    }
}

/// <summary>The outcome of <see cref="FleetDecisions.MergeOverlay"/>.</summary>
public abstract record OverlayMerge
{
    private OverlayMerge()
    {
    }

    /// <summary>The new overlay, to check on every host and then distribute.</summary>
    /// <param name="Text">The whole overlay.</param>
    public sealed record Merged(string Text) : OverlayMerge;

    /// <summary>The update changes nothing: the overlay in force already says so.</summary>
    public sealed record Unchanged : OverlayMerge;

    /// <summary>The update is no valid overlay.</summary>
    /// <param name="Reason">One line naming the key or value.</param>
    public sealed record Refused(string Reason) : OverlayMerge;

    /// <summary>The coordinator took over and has not yet heard the overlay in force from a host.</summary>
    public sealed record CurrentUnknown : OverlayMerge;
}
