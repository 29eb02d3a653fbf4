using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

/// <summary>sd_listen_fds(3)'s rules: descriptors from 3, and only for the process LISTEN_PID names.</summary>
public sealed class SystemdActivationTests
{
    [Fact]
    public void Listen_fds_for_this_process_are_the_descriptors_from_3_on() =>
        Assert.Equal([3, 4], SystemdActivation.ListenFds("2", "4242", pid: 4242));

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1", null)]
    [InlineData(null, "4242")]
    [InlineData("0", "4242")]
    [InlineData("x", "4242")]
    [InlineData("1", "pid")]
    public void Listen_fds_for_another_process_or_malformed_are_none(string? listenFds, string? listenPid) =>
        Assert.Empty(SystemdActivation.ListenFds(listenFds, listenPid, pid: 4242));
}
