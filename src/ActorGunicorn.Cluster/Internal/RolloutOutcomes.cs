namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// How the newest rolling reloads ended, by id: those this coordinator finished, and those the agents' reports say
/// an earlier coordinator finished. A caller whose coordinator moved asks the new one (<c>GetRollout</c>) and learns
/// the outcome here.
/// </summary>
internal sealed class RolloutOutcomes
{
    private const int Kept = 32;

    private readonly Dictionary<long, FleetCoordinator.RolloutProgress> _byId = [];
    private readonly Queue<long> _order = new();

    public FleetCoordinator.RolloutProgress? Find(long rolloutId) => _byId.GetValueOrDefault(rolloutId);

    /// <summary>Keeps an outcome, forgetting the oldest beyond the last <see cref="Kept"/>.</summary>
    public void Remember(FleetCoordinator.RolloutProgress outcome)
    {
        if (!_byId.TryAdd(outcome.RolloutId, outcome))
        {
            return;
        }

        _order.Enqueue(outcome.RolloutId);
        if (_order.Count > Kept)
        {
            _byId.Remove(_order.Dequeue());
        }
    }

    /// <summary>Keeps the outcome of a record that reports one; a running record says nothing here.</summary>
    public void Learn(FleetCoordinator.RolloutRecord record)
    {
        if (record.State is RolloutState.Done or RolloutState.Failed && record.Outcome is { } outcome)
        {
            Remember(new FleetCoordinator.RolloutProgress(record.RolloutId, record.State, outcome));
        }
    }
}

/// <summary>An outcome as the answer a caller of the rollout gets.</summary>
internal static class RolloutProgressReplies
{
    public static object ToReply(this FleetCoordinator.RolloutProgress outcome) => outcome.State == RolloutState.Failed
        ? new FleetCoordinator.CommandFailed(outcome.Summary)
        : new FleetCoordinator.CommandSucceeded(outcome.Summary);
}
