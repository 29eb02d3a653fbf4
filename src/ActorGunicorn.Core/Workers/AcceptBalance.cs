using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers;

/// <summary>
/// Whether a worker should take the next connection on a shared listener, or leave it to a peer: the decision of the
/// load board (<see cref="LoadBoard"/>), pure.
/// </summary>
internal static class AcceptBalance
{
    /// <summary>
    /// How far a worker's connection count may stray from a peer's for the sake of a free thread now. A keep-alive
    /// connection outlives the moment: with no bound, a worker that happened to be free while its peer served kept
    /// taking a burst's connections (43 of 64, measured), yet a fresh connection should not wait behind a running
    /// request while another worker could serve it.
    /// </summary>
    public const int CapacitySlack = 4;

    /// <summary>
    /// Leave the next connection to a live peer when:
    /// <list type="bullet">
    /// <item>this worker has no free application thread (the connection's request would wait behind one running) and
    /// the peer has one, unless the peer already holds more than <see cref="CapacitySlack"/> connections more;</item>
    /// <item>or this worker holds more than one connection more than a peer placed no worse (the peer has a free
    /// thread, or neither has);</item>
    /// <item>or this worker holds more than <see cref="CapacitySlack"/> connections more than any peer.</item>
    /// </list>
    /// Among workers equally placed the least loaded never steps back, and a worker with a free thread steps back for a
    /// busy one only past the slack, where the busy one does not step back: someone always accepts. A difference of one
    /// is allowed, so that two workers taking a burst at once do not both step back.
    /// </summary>
    /// <param name="open">The connections this worker holds.</param>
    /// <param name="busy">Whether every application thread of this worker is in a request.</param>
    /// <param name="peers">The other accepting workers, as the board shows them.</param>
    /// <param name="isAlive">Whether a pid is a live process (a SIGKILLed worker's line lasts until the arbiter frees it).</param>
    public static bool LeaveToPeer(int open, bool busy, ReadOnlySpan<PeerLoad> peers, Func<int, bool> isAlive)
    {
        foreach (var peer in peers)
        {
            int lead = open - peer.OpenConnections;
            bool forAFreeThread = busy && !peer.Busy && lead >= -CapacitySlack;
            bool forBalance = lead > 1 && (busy || !peer.Busy);
            bool pastTheSlack = lead > CapacitySlack;
            if ((forAFreeThread || forBalance || pastTheSlack) && isAlive(peer.Pid))
            {
                return true;
            }
        }

        return false;
    }
}
