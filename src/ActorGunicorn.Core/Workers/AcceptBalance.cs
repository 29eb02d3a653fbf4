using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers;

/// <summary>
/// Whether a worker should take the next connection on a shared listener, or leave it to a peer: the decision of the
/// load board (<see cref="LoadBoard"/>), pure.
/// </summary>
internal static class AcceptBalance
{
    /// <summary>
    /// Leave the next connection to a live peer that has a free application thread when this worker has none (a
    /// request on it would wait behind the one running), or when this worker holds more than one connection more than
    /// that peer. The least loaded worker with a free thread never leaves a connection to anyone, so someone always
    /// accepts; a difference of one is allowed, so that two workers taking a burst at once do not both step back.
    /// </summary>
    /// <param name="open">The connections this worker holds.</param>
    /// <param name="busy">Whether every application thread of this worker is in a request.</param>
    /// <param name="peers">The other accepting workers, as the board shows them.</param>
    /// <param name="isAlive">Whether a pid is a live process (a SIGKILLed worker's line lasts until the arbiter frees it).</param>
    public static bool LeaveToPeer(int open, bool busy, ReadOnlySpan<PeerLoad> peers, Func<int, bool> isAlive)
    {
        foreach (var peer in peers)
        {
            if (!peer.Busy && (busy || peer.OpenConnections + 1 < open) && isAlive(peer.Pid))
            {
                return true;
            }
        }

        return false;
    }
}
