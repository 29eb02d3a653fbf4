using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

public sealed class RequestTimeoutsTests
{
    [Theory]
    [InlineData(1_000, 250)]
    [InlineData(30_000, 250)]
    [InlineData(600, 150)]
    [InlineData(100, 100)]
    public void The_watchdog_looks_every_quarter_timeout_between_100_and_250_ms(int timeoutMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RequestTimeouts.CheckInterval(TimeSpan.FromMilliseconds(timeoutMs)));

    [Fact]
    public void Only_a_claimed_request_is_answered_and_recycled()
    {
        Assert.True(RequestTimeouts.Claimed(TimeoutClaim.Answer));
        Assert.True(RequestTimeouts.Claimed(TimeoutClaim.Abort));
        Assert.False(RequestTimeouts.Claimed(TimeoutClaim.Busy));
        Assert.False(RequestTimeouts.Claimed(TimeoutClaim.NotDue));
        Assert.False(RequestTimeouts.Claimed(TimeoutClaim.NotRunning));
    }

    [Fact]
    public void The_recycle_reason_names_the_request_and_how_long_it_ran() =>
        Assert.Equal("request timeout: GET /slow?x=1 ran 1.3 s", RequestTimeouts.RecycleReason("GET /slow?x=1", TimeSpan.FromMilliseconds(1260)));

    [Theory]
    [InlineData(1260, "1.3")]
    [InlineData(10_000, "10")]
    [InlineData(40, "0")]
    public void Seconds_have_at_most_one_decimal(int ms, string expected) =>
        Assert.Equal(expected, RequestTimeouts.Seconds(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void The_log_says_what_the_client_got()
    {
        Assert.Equal("answered 504 Gateway Timeout and closed the connection", RequestTimeouts.Outcome(TimeoutClaim.Answer));
        Assert.Equal("the response had started, so the connection was cut", RequestTimeouts.Outcome(TimeoutClaim.Abort));
    }

    [Fact]
    public void Without_an_application_stack_the_log_says_why_and_names_the_thread()
    {
        Assert.Equal("Thread 0x1 (most recent call first):", RequestTimeouts.Stack("Thread 0x1 (most recent call first):", 7));
        Assert.Contains("managed thread 7", RequestTimeouts.Stack(null, 7), StringComparison.Ordinal);
        Assert.Contains(".NET cannot walk", RequestTimeouts.Stack(null, 7), StringComparison.Ordinal);
    }
}
