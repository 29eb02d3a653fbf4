namespace ActorGunicorn.Cluster.Ctl;

/// <summary>
/// How a caller waiting on a rolling reload judges the fleet's answers to its polls (<c>GetRollout</c>), apart from
/// the clock and the network. Two silences are told apart: no coordinator answering at all (its node died and the
/// cluster has not yet started its successor, which may take a while on a loaded machine: the caller waits longer),
/// and a coordinator that answers but does not know the rollout (it heard no agent hold it: its predecessor died
/// before handing the rollout on, so it will not resume; the caller gives up sooner, once the agents' reports, a
/// second apart, have had time to arrive). Before that, a rollout the caller may start again (a reload, which is
/// the same whoever starts it) is sent once more to that coordinator, with the same id: a predecessor that died
/// before handing it on had reloaded at most the first host.
/// </summary>
internal sealed class RolloutWatch(long startedAtMs)
{
    /// <summary>How long no coordinator may answer before the rollout is given up as lost.</summary>
    public static readonly TimeSpan CoordinatorAbsence = TimeSpan.FromSeconds(50);

    /// <summary>How long a coordinator may answer that it does not know the rollout before it is given up as lost.</summary>
    public static readonly TimeSpan UnknownToCoordinator = TimeSpan.FromSeconds(15);

    /// <summary>How long a coordinator may answer that it does not know the rollout before the caller sends it again.</summary>
    public static readonly TimeSpan UnknownBeforeResend = TimeSpan.FromSeconds(5);

    private long _lastAnswerMs = startedAtMs;
    private bool _resent;
    private long? _unknownSinceMs;
    private string? _lastProgress;

    /// <summary>A coordinator answered that the rollout runs and where it stands.</summary>
    public void Running(long nowMs, string progress)
    {
        (_lastAnswerMs, _unknownSinceMs, _lastProgress) = (nowMs, null, progress);
    }

    /// <summary>A coordinator answered that it does not know the rollout.</summary>
    public void Unknown(long nowMs)
    {
        _lastAnswerMs = nowMs;
        _unknownSinceMs ??= nowMs;
    }

    /// <summary>
    /// Whether the caller should send its command again now (once, after <see cref="UnknownBeforeResend"/> of a
    /// coordinator not knowing it); the coordinator it reaches is then given <see cref="UnknownToCoordinator"/> anew.
    /// </summary>
    public bool TakeResend(long nowMs)
    {
        if (_resent || _unknownSinceMs is not { } since || nowMs - since < UnknownBeforeResend.TotalMilliseconds)
        {
            return false;
        }

        (_resent, _unknownSinceMs) = (true, null);
        return true;
    }

    /// <summary>Why the rollout is lost by <paramref name="nowMs"/>, or null while it may still be answered.</summary>
    public string? LostBy(long nowMs)
    {
        var at = _lastProgress is null ? "no progress was reported before" : $"it was at: {_lastProgress}";
        if (_unknownSinceMs is { } since && nowMs - since > UnknownToCoordinator.TotalMilliseconds)
        {
            return $"the fleet's coordinator has not known the rolling reload for {UnknownToCoordinator.TotalSeconds:0} s "
                + $"(the one that ran it left the cluster before handing it on); {at}";
        }

        if (nowMs - _lastAnswerMs > CoordinatorAbsence.TotalMilliseconds)
        {
            return $"no fleet coordinator has answered for {CoordinatorAbsence.TotalSeconds:0} s (the cluster has not moved it "
                + $"off the node that left; are most hosts up?); {at}";
        }

        return null;
    }
}
