using ActorGunicorn.Configuration;
using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

/// <summary>Which listeners the arbiter opens (gunicorn's precedence) and which Unix socket files it may remove.</summary>
public sealed class ListenerSourcesTests
{
    private static readonly BindAddress Tcp = BindAddress.Parse("127.0.0.1:8000");
    private static readonly BindAddress Unix = BindAddress.Parse("unix:/run/app.sock");
    private static readonly BindAddress Fd9 = BindAddress.Parse("fd://9");

    [Fact]
    public void Without_inherited_descriptors_every_address_is_bound_and_fd_addresses_are_adopted()
    {
        var plan = ListenerSources.Plan([Tcp, Unix, Fd9], systemdFds: null, upgradeFds: null, upgradeFromSystemd: false);

        Assert.Equal(
            [new ListenerSource.Bind(Tcp), new ListenerSource.Bind(Unix), new ListenerSource.Inherit(9, ListenerOrigin.Descriptor)],
            plan);
    }

    [Fact]
    public void Systemd_descriptors_replace_the_bind_addresses_and_fd_addresses_are_kept()
    {
        var plan = ListenerSources.Plan([Tcp, Fd9], systemdFds: [3, 4], upgradeFds: [5], upgradeFromSystemd: false);

        Assert.Equal(
            [new ListenerSource.Inherit(3, ListenerOrigin.Systemd), new ListenerSource.Inherit(4, ListenerOrigin.Systemd), new ListenerSource.Inherit(9, ListenerOrigin.Descriptor)],
            plan);
    }

    [Fact]
    public void A_usr2_child_takes_its_parents_descriptors_once_each_even_when_bind_names_one_of_them()
    {
        var plan = ListenerSources.Plan([Tcp, Fd9], systemdFds: [], upgradeFds: [83, 9], upgradeFromSystemd: false);

        Assert.Equal([new ListenerSource.Inherit(83, ListenerOrigin.Upgrade), new ListenerSource.Inherit(9, ListenerOrigin.Upgrade)], plan);
    }

    [Fact]
    public void A_usr2_child_of_a_socket_activated_arbiter_knows_its_descriptors_are_systemds()
    {
        var plan = ListenerSources.Plan([Tcp], systemdFds: [], upgradeFds: [3], upgradeFromSystemd: true);

        Assert.Equal([new ListenerSource.Inherit(3, ListenerOrigin.Systemd)], plan);
    }

    [Theory]
    [InlineData("3,4", new[] { 3, 4 })]
    [InlineData(" 83 , 85 ", new[] { 83, 85 })]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("3,x", null)]
    [InlineData("-1", null)]
    public void Descriptor_lists_parse_or_are_refused_whole(string? text, int[]? expected) =>
        Assert.Equal(expected, ListenerSources.ParseFds(text));

    [Theory]
    [InlineData(nameof(ListenerOrigin.Bound), false, true)]
    [InlineData(nameof(ListenerOrigin.Bound), true, false)]
    [InlineData(nameof(ListenerOrigin.Upgrade), false, true)]
    [InlineData(nameof(ListenerOrigin.Upgrade), true, false)]
    [InlineData(nameof(ListenerOrigin.Systemd), false, false)]
    [InlineData(nameof(ListenerOrigin.Descriptor), false, false)]
    public void Only_a_socket_file_this_arbiters_line_bound_is_removed_and_never_while_a_usr2_peer_serves(string origin, bool peerExists, bool unlink) =>
        Assert.Equal(unlink, ListenerSources.ShouldUnlink(Enum.Parse<ListenerOrigin>(origin), Unix, [Unix], peerExists));

    [Fact]
    public void An_inherited_unix_socket_the_configuration_does_not_name_is_left_alone() =>
        Assert.False(ListenerSources.ShouldUnlink(ListenerOrigin.Upgrade, Unix, [Tcp], upgradePeerExists: false));

    [Fact]
    public void A_tcp_listener_has_no_file_to_remove() =>
        Assert.False(ListenerSources.ShouldUnlink(ListenerOrigin.Bound, Tcp, [Tcp], upgradePeerExists: false));

    [Theory]
    [InlineData("Bound", false, false, "Close")]
    [InlineData("Bound", true, false, "Close")]
    [InlineData("Upgrade", false, false, "Close")]
    [InlineData("Bound", false, true, "LeaveOpen")]
    [InlineData("Upgrade", true, true, "LeaveOpen")]
    [InlineData("Systemd", false, false, "LeaveOpen")]
    [InlineData("Systemd", true, false, "LeaveOpen")]
    [InlineData("Descriptor", false, false, "CloseThenReopenAtExit")]
    [InlineData("Descriptor", true, false, "LeaveOpen")]
    [InlineData("Descriptor", false, true, "LeaveOpen")]
    public void A_stopping_server_closes_the_gate_of_a_listener_that_dies_with_it_and_reopens_one_that_may_not(string origin, bool unix, bool peerExists, string expected)
    {
        Assert.Equal(Enum.Parse<StopGate>(expected), ListenerSources.GateOnStop(Enum.Parse<ListenerOrigin>(origin), unix, peerExists));
    }
}
