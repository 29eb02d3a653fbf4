using ActorGunicorn.Interop;
using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

/// <summary>The load board in shared memory: lines claimed, posted, read by peers and freed.</summary>
public sealed class LoadBoardTests : IDisposable
{
    private const int FDupFdCloexec = 1030;
    private readonly LoadBoard _arbiter = LoadBoard.Create();

    [Fact]
    public void A_worker_mapping_the_arbiters_board_sees_what_the_other_workers_post()
    {
        using var first = LoadBoard.Map(Duplicate(_arbiter.Fd));
        using var second = LoadBoard.Map(Duplicate(_arbiter.Fd));
        var firstLine = first.Claim(pid: 101)!;
        var secondLine = second.Claim(pid: 102)!;
        secondLine.PostAccepting(true);
        secondLine.PostOpenConnections(7);
        secondLine.PostBusy(true);

        var peers = new PeerLoad[LoadBoard.Capacity];
        int count = first.ReadPeers(firstLine.Index, peers);

        Assert.Equal([new PeerLoad(102, 7, Busy: true)], peers[..count]);
    }

    [Fact]
    public void A_worker_that_does_not_accept_is_not_a_peer()
    {
        var line = _arbiter.Claim(pid: 101)!;
        _arbiter.Claim(pid: 102)!.PostOpenConnections(0);

        Assert.Equal(0, _arbiter.ReadPeers(line.Index, new PeerLoad[LoadBoard.Capacity]));
    }

    [Fact]
    public void The_arbiter_frees_the_line_of_a_worker_that_exited_without_freeing_it_and_the_line_is_claimed_again()
    {
        var killed = _arbiter.Claim(pid: 101)!;
        killed.PostAccepting(true);
        var survivor = _arbiter.Claim(pid: 102)!;

        _arbiter.Release(101);

        Assert.Equal(0, _arbiter.ReadPeers(survivor.Index, new PeerLoad[LoadBoard.Capacity]));
        Assert.Equal(killed.Index, _arbiter.Claim(pid: 103)!.Index);
    }

    [Fact]
    public void A_worker_beyond_the_boards_capacity_gets_no_line()
    {
        for (int pid = 1; pid <= LoadBoard.Capacity; pid++)
        {
            Assert.NotNull(_arbiter.Claim(pid));
        }

        Assert.Null(_arbiter.Claim(LoadBoard.Capacity + 1));
    }

    public void Dispose() => _arbiter.Dispose();

    // A descriptor for the same memory, as a worker inherits one.
    private static int Duplicate(int fd)
    {
        int copy = Libc.Fcntl(fd, FDupFdCloexec, 100);
        Assert.True(copy >= 0, Libc.LastError());
        return copy;
    }
}
