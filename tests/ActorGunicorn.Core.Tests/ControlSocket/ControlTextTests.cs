using ActorGunicorn.ControlSocket;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(5_000, "5s")]
    [InlineData(59_999, "59s")]
    [InlineData(60_000, "1m00s")]
    [InlineData(192_000, "3m12s")]
    [InlineData(3_599_000, "59m59s")]
    [InlineData(3_600_000, "1h00m")]
    [InlineData(7_440_000, "2h04m")]
    [InlineData(86_399_000, "23h59m")]
    [InlineData(86_400_000, "1d00h")]
    [InlineData(284_400_000, "3d07h")]
    public void A_duration_shows_its_two_largest_units(long milliseconds, string expected) =>
        Assert.Equal(expected, ControlText.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(0, "-")]
    [InlineData(1, "1ms")]
    [InlineData(340, "340ms")]
    [InlineData(999, "999ms")]
    [InlineData(1_000, "1.0s")]
    [InlineData(1_290, "1.2s")]
    [InlineData(59_990, "59.9s")]
    [InlineData(60_000, "1m00s")]
    [InlineData(125_000, "2m05s")]
    public void The_current_request_shows_a_dash_when_idle_then_ms_then_seconds_with_a_tenth(long milliseconds, string expected) =>
        Assert.Equal(expected, ControlText.RequestTime(milliseconds));

    [Fact]
    public void Status_is_a_header_line_then_a_table_with_aligned_columns_and_numbers_to_the_right()
    {
        var status = new ControlStatusData(4000, 3, 3, 3,
        [
            new ControlWorkerData(4001, 1, "Running", 1042, 2, 103_179_878, 0, 192_000),
            new ControlWorkerData(4002, 2, "Replacing", 7, 0, 99_614_720, 1_290, 5_000),
            new ControlWorkerData(0, 0, "Booting", 0, 0, 0, 0, 0),
        ]);

        Assert.Equal(
            """
            arbiter 4000: 3 workers, 3 desired
            PID   STATE      AGE    REQUESTS  RSS MiB  CURRENT
            4001  Running    3m12s      1042     98.4  -
            4002  Replacing  5s            7     95.0  1.2s
            -     Booting    -             0        -  -

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            ControlText.Status(status));
    }

    [Fact]
    public void Status_of_one_worker_says_worker() =>
        Assert.StartsWith("arbiter 1: 1 worker, 2 desired\n", ControlText.Status(new ControlStatusData(1, 2, 2, 2, [new ControlWorkerData(2, 1, "Running", 0, 0, 0, 0, 0)])), StringComparison.Ordinal);

    [Theory]
    [InlineData(1, 1, 3, "arbiter 1: 1 worker, 1 desired (min 1, max 3)\n")]
    [InlineData(2, 1, 3, "arbiter 1: 1 worker, 2 desired (min 1, max 3)\n")]
    [InlineData(4, 2, 3, "arbiter 1: 1 worker, 4 desired (min 2, max 3)\n")]
    [InlineData(0, 2, 2, "arbiter 1: 1 worker, 0 desired (min 2, max 2)\n")]
    public void Status_shows_the_floor_and_the_ceiling_when_the_count_follows_the_load_or_left_the_floor(int desired, int min, int max, string header) =>
        Assert.StartsWith(header, ControlText.Status(new ControlStatusData(1, desired, min, max, [new ControlWorkerData(2, 1, "Running", 0, 0, 0, 0, 0)])), StringComparison.Ordinal);

    [Fact]
    public void Stats_are_one_counter_per_line_with_the_values_aligned() =>
        Assert.Equal(
            """
            arbiter pid       4000
            uptime            2h04m
            workers desired   2
            workers min       1
            workers max       3
            workers spawned   5
            workers lost      1
            workers recycled  2
            scaled up         3
            scaled down       2
            reloads           1
            requests served   123456

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            ControlText.Stats(new ControlStatsData(4000, 7_440_000, 2, 1, 3, 5, 1, 2, 3, 2, 1, 123_456)));
}
