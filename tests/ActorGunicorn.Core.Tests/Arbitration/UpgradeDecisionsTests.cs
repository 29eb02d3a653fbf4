using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

/// <summary>The binary upgrade's decisions: gunicorn's reexec guards, handle_winch, maybe_promote_master, PIDFILE.2.</summary>
public sealed class UpgradeDecisionsTests
{
    [Theory]
    [InlineData(0, 0, nameof(Usr2Decision.Reexec))]
    [InlineData(4242, 0, nameof(Usr2Decision.IgnoreChildExists))]
    [InlineData(0, 4141, nameof(Usr2Decision.IgnoreParentExists))]
    [InlineData(4242, 4141, nameof(Usr2Decision.IgnoreChildExists))]
    public void Usr2_starts_a_new_arbiter_only_when_no_upgrade_is_under_way(int childPid, int parentPid, string expected) =>
        Assert.Equal(Enum.Parse<Usr2Decision>(expected), UpgradeDecisions.OnUsr2(childPid, parentPid));

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void Winch_stops_the_workers_of_a_daemon_or_of_the_old_half_of_an_upgrade(bool daemon, bool childExists, bool stops) =>
        Assert.Equal(stops, UpgradeDecisions.StopWorkersOnWinch(daemon, childExists));

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(4141, 4141, false)]
    [InlineData(4141, 1, true)]
    [InlineData(4141, 777, true)]
    public void A_usr2_child_is_promoted_once_its_parent_is_no_longer_its_parent(int parentPid, int currentParent, bool promoted) =>
        Assert.Equal(promoted, UpgradeDecisions.IsPromoted(parentPid, currentParent));

    [Fact]
    public void A_usr2_child_writes_pidfile_dot_2()
    {
        Assert.Equal("/run/app.pid.2", UpgradeDecisions.PidFileFor("/run/app.pid", upgradeChild: true));
        Assert.Equal("/run/app.pid", UpgradeDecisions.PidFileFor("/run/app.pid", upgradeChild: false));
    }
}
