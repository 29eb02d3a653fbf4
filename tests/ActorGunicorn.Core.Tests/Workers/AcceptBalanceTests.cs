using ActorGunicorn.Transport;
using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>Whether a worker takes the next connection on a shared listener or leaves it to a peer.</summary>
public sealed class AcceptBalanceTests
{
    private static readonly Func<int, bool> EveryoneAlive = _ => true;

    [Fact]
    public void A_worker_alone_takes_every_connection_busy_or_not() =>
        Assert.False(AcceptBalance.LeaveToPeer(open: 50, busy: true, [], EveryoneAlive));

    [Fact]
    public void A_worker_more_than_one_connection_ahead_of_a_peer_with_a_free_thread_leaves_it_the_next() =>
        Assert.True(AcceptBalance.LeaveToPeer(open: 6, busy: false, [new PeerLoad(2, OpenConnections: 4, Busy: false)], EveryoneAlive));

    [Fact]
    public void One_connection_ahead_is_allowed_so_that_two_workers_taking_a_burst_do_not_both_step_back() =>
        Assert.False(AcceptBalance.LeaveToPeer(open: 5, busy: false, [new PeerLoad(2, OpenConnections: 4, Busy: false)], EveryoneAlive));

    [Fact]
    public void A_worker_whose_threads_are_all_in_requests_leaves_the_next_connection_to_a_peer_with_a_free_one() =>
        Assert.True(AcceptBalance.LeaveToPeer(open: 1, busy: true, [new PeerLoad(2, OpenConnections: 3, Busy: false)], EveryoneAlive));

    [Fact]
    public void A_worker_with_a_free_thread_keeps_a_connection_from_a_busy_peer_within_the_slack_but_not_beyond()
    {
        Assert.False(AcceptBalance.LeaveToPeer(open: 4, busy: false, [new PeerLoad(2, OpenConnections: 0, Busy: true)], EveryoneAlive));
        Assert.True(AcceptBalance.LeaveToPeer(open: 5, busy: false, [new PeerLoad(2, OpenConnections: 0, Busy: true)], EveryoneAlive));
    }

    [Fact]
    public void A_busy_worker_does_not_pile_connections_onto_a_free_peer_that_already_holds_more_than_the_slack_more()
    {
        Assert.True(AcceptBalance.LeaveToPeer(open: 10, busy: true, [new PeerLoad(2, OpenConnections: 14, Busy: false)], EveryoneAlive));
        Assert.False(AcceptBalance.LeaveToPeer(open: 10, busy: true, [new PeerLoad(2, OpenConnections: 15, Busy: false)], EveryoneAlive));
    }

    [Fact]
    public void When_every_worker_is_busy_the_connections_are_still_shared_out_by_count()
    {
        Assert.True(AcceptBalance.LeaveToPeer(open: 9, busy: true, [new PeerLoad(2, OpenConnections: 0, Busy: true)], EveryoneAlive));
        Assert.False(AcceptBalance.LeaveToPeer(open: 1, busy: true, [new PeerLoad(2, OpenConnections: 1, Busy: true)], EveryoneAlive));
    }

    [Fact]
    public void A_dead_peers_line_is_ignored() =>
        Assert.False(AcceptBalance.LeaveToPeer(open: 9, busy: true, [new PeerLoad(2, OpenConnections: 0, Busy: false)], pid => pid != 2));

    [Fact]
    public void Any_one_qualifying_peer_among_several_is_enough()
    {
        PeerLoad[] peers = [new(2, 9, Busy: false), new(3, 4, Busy: true), new(4, 6, Busy: false)];

        Assert.True(AcceptBalance.LeaveToPeer(open: 8, busy: false, peers, EveryoneAlive));
        Assert.False(AcceptBalance.LeaveToPeer(open: 7, busy: false, peers, EveryoneAlive));
    }
}
