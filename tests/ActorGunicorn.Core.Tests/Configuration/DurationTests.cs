using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("0", 0)]
    [InlineData("0.5", 500)]
    [InlineData(".25", 250)]
    [InlineData("30ms", 30)]
    [InlineData("500 ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("30 seconds", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1 minute", 60_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250millis", 250)]
    public void A_hocon_duration_is_seconds_unless_a_unit_says_otherwise(string text, long milliseconds)
    {
        Assert.True(Durations.TryParseHocon(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("30 parsecs")]
    [InlineData("1e3")]
    [InlineData("30S")]
    [InlineData("99999999999999999999d")]
    public void A_malformed_hocon_duration_is_refused(string text) =>
        Assert.False(Durations.TryParseHocon(text, out _));

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("0.5", 500)]
    [InlineData("-1", -1_000)]
    public void A_command_line_duration_is_plain_seconds(string text, long milliseconds)
    {
        Assert.True(Durations.TryParseSeconds(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("500ms")]
    [InlineData("")]
    public void A_command_line_duration_takes_no_unit(string text) =>
        Assert.False(Durations.TryParseSeconds(text, out _));

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1500ms")]
    public void The_canonical_form_uses_seconds_or_milliseconds(long milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void A_sub_millisecond_duration_is_written_as_decimal_seconds_that_read_back_equal()
    {
        var duration = TimeSpan.FromTicks(1234);
        Assert.Equal("0.0001234s", Durations.Format(duration));
        Assert.True(Durations.TryParseHocon(Durations.Format(duration), out var back));
        Assert.Equal(duration, back);
    }
}
