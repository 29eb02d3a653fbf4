using ActorGunicorn.Interop;
using ActorGunicorn.Transport;
using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// Two workers' balancers on one load board: a worker that stepped back is woken, through the board's futex, by each
/// change of a peer's that may make it the one to accept, so that no connection waits in the kernel's queue while
/// both have stepped back.
/// </summary>
public sealed class AcceptBalancerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly LoadBoard _board = LoadBoard.Create();
    private readonly AcceptBalancer _first;
    private readonly AcceptBalancer _second;
    private readonly TaskCompletionSource _firstWoken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AcceptBalancerTests()
    {
        // Two live pids: the board leaves a dead peer out of the decision.
        _first = Balancer(Environment.ProcessId);
        _second = Balancer(Libc.GetParentPid());
        _first.OnWake(() => _firstWoken.TrySetResult());
    }

    [Fact]
    public async Task A_worker_that_stepped_back_for_its_peer_is_woken_when_the_peer_steps_back_in_turn_and_then_takes()
    {
        _first.PostOpenConnections(2);
        Assert.True(_first.LeaveToPeer(2));

        // The peer took connections meanwhile and is now ahead: without a wake, both would wait.
        _second.PostOpenConnections(4);
        Assert.True(_second.LeaveToPeer(4));

        await FirstIsWokenAndTakesTheNextAsync(open: 2);
    }

    [Fact]
    public async Task A_busy_worker_that_left_the_next_connection_to_a_free_peer_is_woken_when_that_peer_becomes_busy()
    {
        _first.PostActiveRequests(1);
        Assert.True(_first.LeaveToPeer(0));

        _second.PostActiveRequests(1);

        await FirstIsWokenAndTakesTheNextAsync(open: 0);
    }

    [Fact]
    public async Task A_worker_that_stepped_back_is_woken_when_its_peer_stops_accepting()
    {
        _first.PostOpenConnections(2);
        Assert.True(_first.LeaveToPeer(2));

        _second.PostAccepting(false);

        await FirstIsWokenAndTakesTheNextAsync(open: 2);
    }

    [Fact]
    public async Task A_worker_that_stepped_back_is_woken_when_the_arbiter_frees_the_line_of_a_peer_that_died()
    {
        _first.PostOpenConnections(2);
        Assert.True(_first.LeaveToPeer(2));

        _board.Release(Libc.GetParentPid());

        await FirstIsWokenAndTakesTheNextAsync(open: 2);
    }

    [Fact]
    public void A_worker_that_takes_the_next_connection_is_not_left_marked_as_stepped_back()
    {
        _first.PostOpenConnections(1);
        Assert.False(_first.LeaveToPeer(1));

        Assert.Equal(0, _board.Field(0, LoadBoard.SteppedBackOffset) + _board.Field(1, LoadBoard.SteppedBackOffset));
    }

    // Woken, the first worker decides again and this time takes the connection.
    private async Task FirstIsWokenAndTakesTheNextAsync(int open)
    {
        await _firstWoken.Task.WaitAsync(Patience);
        _first.StopSteppingBack();
        Assert.False(_first.LeaveToPeer(open));
    }

    public void Dispose()
    {
        _first.Release();
        _second.Release();
        _board.Dispose();
    }

    private AcceptBalancer Balancer(int pid)
    {
        var balancer = new AcceptBalancer(_board, _board.Claim(pid)!, threads: 1);
        balancer.PostAccepting(true);
        return balancer;
    }
}
