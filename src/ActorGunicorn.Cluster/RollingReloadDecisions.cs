namespace ActorGunicorn.Cluster;

/// <summary>A host as a rolling reload sees it.</summary>
/// <param name="Address">The node's cluster address.</param>
/// <param name="IsMember">Whether it is still a member of the cluster.</param>
/// <param name="Healthy">Up, reachable, reporting, with a worker running.</param>
/// <param name="Reachable">Whether the failure detector hears it; a member that is not may be dead, not yet removed.</param>
public sealed record RolloutHost(string Address, bool IsMember, bool Healthy, bool Reachable = true);

/// <summary>A rolling reload in progress: hosts still to do, the one reloading now, and those done.</summary>
/// <param name="Pending">Hosts not yet reloaded, in order.</param>
/// <param name="Current">The host reloading now, or null between hosts.</param>
/// <param name="CurrentSinceMs">When <paramref name="Current"/> was told to reload (monotonic milliseconds).</param>
/// <param name="Done">Hosts whose new workers serve.</param>
/// <param name="Skipped">Hosts that left the cluster before their turn.</param>
public sealed record Rollout(IReadOnlyList<string> Pending, string? Current, long CurrentSinceMs, IReadOnlyList<string> Done, IReadOnlyList<string> Skipped)
{
    /// <summary>A rolling reload of <paramref name="hosts"/>, in that order, none started.</summary>
    /// <param name="hosts">The hosts to reload.</param>
    /// <returns>The new rollout.</returns>
    public static Rollout Of(IEnumerable<string> hosts) => new([.. hosts], null, 0, [], []);

    /// <summary>
    /// A rollout another coordinator began, from the record it handed the agents. The host that was reloading goes
    /// back to the front: asked again with the same id, its agent answers at once if its new workers already serve,
    /// and a host that has left the cluster is skipped.
    /// </summary>
    /// <param name="record">The newest record of the rollout.</param>
    /// <returns>The rollout, between hosts.</returns>
    public static Rollout Resume(FleetCoordinator.RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new([.. record.Current is { } current ? [current] : Array.Empty<string>(), .. record.Pending], null, 0, record.Done, record.Skipped);
    }

    /// <summary>The next host is told to reload now.</summary>
    /// <param name="nowMs">Monotonic milliseconds.</param>
    /// <returns>The rollout with <see cref="Pending"/>'s first host as <see cref="Current"/>.</returns>
    public Rollout Start(long nowMs) => this with { Pending = [.. Pending.Skip(1)], Current = Pending[0], CurrentSinceMs = nowMs };

    /// <summary>The current host's new workers serve.</summary>
    /// <returns>The rollout with the current host done.</returns>
    public Rollout CompleteCurrent() => Current is null ? this : this with { Current = null, Done = [.. Done, Current] };

    /// <summary>The next host has left the cluster and is passed over.</summary>
    /// <returns>The rollout without it.</returns>
    public Rollout SkipNext() => this with { Pending = [.. Pending.Skip(1)], Skipped = [.. Skipped, Pending[0]] };

    /// <summary>The host reloading now has left the cluster; the rollout goes on without it.</summary>
    /// <returns>The rollout with the current host skipped.</returns>
    public Rollout SkipCurrent() => Current is null ? this : this with { Current = null, Skipped = [.. Skipped, Current] };

    /// <summary>How far it has come, for the operator: <c>reloading 127.0.0.1:4053 (2 of 3)</c>.</summary>
    /// <returns>One line.</returns>
    public string Describe()
    {
        var total = Pending.Count + Done.Count + Skipped.Count + (Current is null ? 0 : 1);
        var position = Done.Count + Skipped.Count + 1;
        return Current is null
            ? $"rolling reload: {Done.Count} of {total} hosts done"
            : $"rolling reload: reloading {FleetText.HostOf(Current)} ({position} of {total})";
    }
}

/// <summary>What a rolling reload does next.</summary>
public abstract record RolloutStep
{
    private RolloutStep()
    {
    }

    /// <summary>Tell this host to reload.</summary>
    /// <param name="Address">The host.</param>
    public sealed record ReloadHost(string Address) : RolloutStep;

    /// <summary>Pass over a host that is no longer a member.</summary>
    /// <param name="Address">The host.</param>
    public sealed record SkipHost(string Address) : RolloutStep;

    /// <summary>The host that was reloading is no longer a member: go on without it.</summary>
    /// <param name="Address">The host.</param>
    public sealed record SkipCurrentHost(string Address) : RolloutStep;

    /// <summary>Nothing to do yet.</summary>
    /// <param name="Reason">What it waits for.</param>
    public sealed record Wait(string Reason) : RolloutStep;

    /// <summary>Every host is done.</summary>
    public sealed record Finished : RolloutStep
    {
        /// <summary>The single instance.</summary>
        public static Finished Instance { get; } = new();
    }

    /// <summary>The reload cannot go on.</summary>
    /// <param name="Reason">Why, for the operator.</param>
    public sealed record Failed(string Reason) : RolloutStep;
}

/// <summary>
/// The rolling reload's rules as a pure function. One host at a time; the next host is reloaded only when every
/// other member is healthy, so at most one host is without its full set of workers and capacity never falls below
/// N−1 hosts. A host that takes longer than the timeout to serve with its new workers stops the reload (the rest keep
/// their old workers, and serve). A host that leaves the cluster, before or during its turn, is skipped and named in
/// the answer; one that cannot be reached is waited for until it is back or removed, never told to reload.
/// </summary>
public static class RollingReloadDecisions
{
    /// <summary>Decides the next step.</summary>
    /// <param name="rollout">The reload so far.</param>
    /// <param name="hosts">Every host the coordinator knows.</param>
    /// <param name="nowMs">Monotonic milliseconds.</param>
    /// <param name="hostTimeout">How long one host may take.</param>
    /// <returns>What to do.</returns>
    public static RolloutStep Next(Rollout rollout, IReadOnlyCollection<RolloutHost> hosts, long nowMs, TimeSpan hostTimeout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(hosts);
        var byAddress = hosts.ToDictionary(h => h.Address, StringComparer.Ordinal);
        if (rollout.Current is { } current)
        {
            if (!byAddress.TryGetValue(current, out var host) || !host.IsMember)
            {
                return new RolloutStep.SkipCurrentHost(current);
            }

            return nowMs - rollout.CurrentSinceMs > (long)hostTimeout.TotalMilliseconds
                ? new RolloutStep.Failed($"{FleetText.HostOf(current)} did not serve with new workers within {hostTimeout.TotalSeconds:0} s")
                : new RolloutStep.Wait($"waiting for {FleetText.HostOf(current)}'s new workers to serve");
        }

        if (rollout.Pending.Count == 0)
        {
            return RolloutStep.Finished.Instance;
        }

        var next = rollout.Pending[0];
        if (!byAddress.TryGetValue(next, out var candidate) || !candidate.IsMember)
        {
            return new RolloutStep.SkipHost(next);
        }

        if (!candidate.Reachable)
        {
            return new RolloutStep.Wait($"waiting for {FleetText.HostOf(next)}, unreachable, to come back or be removed");
        }

        var unhealthy = hosts.Where(h => h.IsMember && h.Address != next && !h.Healthy).Select(h => FleetText.HostOf(h.Address)).ToList();
        return unhealthy.Count > 0
            ? new RolloutStep.Wait($"waiting for {string.Join(", ", unhealthy)} to be healthy before reloading {FleetText.HostOf(next)}")
            : new RolloutStep.ReloadHost(next);
    }
}
