using System.Diagnostics;
using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

public sealed class ResponseOwnershipTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // A request that began two seconds before "now": past the one-second timeout.
    private static (ResponseOwnership Ownership, long Now) Overrunning()
    {
        var ownership = new ResponseOwnership();
        long now = Stopwatch.GetTimestamp();
        ownership.Begin(now - (2 * Stopwatch.Frequency));
        return (ownership, now);
    }

    [Fact]
    public void The_watchdog_answers_a_request_whose_response_has_not_started()
    {
        var (ownership, now) = Overrunning();

        Assert.Equal(TimeoutClaim.Answer, ownership.TryTimeOut(Timeout, now));
        Assert.True(ownership.IsTimedOut);
        Assert.False(ownership.ClaimForApplication());
    }

    [Fact]
    public void The_watchdog_cuts_a_request_whose_response_has_started()
    {
        var (ownership, now) = Overrunning();
        Assert.True(ownership.ClaimForApplication());

        Assert.Equal(TimeoutClaim.Abort, ownership.TryTimeOut(Timeout, now));
        Assert.True(ownership.IsTimedOut);
    }

    [Fact]
    public void A_request_is_claimed_once()
    {
        var (ownership, now) = Overrunning();

        Assert.Equal(TimeoutClaim.Answer, ownership.TryTimeOut(Timeout, now));
        Assert.Equal(TimeoutClaim.NotRunning, ownership.TryTimeOut(Timeout, now));
    }

    [Fact]
    public void A_young_request_is_not_due()
    {
        var ownership = new ResponseOwnership();
        long now = Stopwatch.GetTimestamp();
        ownership.Begin(now);

        Assert.Equal(TimeoutClaim.NotDue, ownership.TryTimeOut(Timeout, now + (Stopwatch.Frequency / 2)));
        Assert.True(ownership.ClaimForApplication());
    }

    [Fact]
    public void A_finished_request_is_left_alone()
    {
        var (ownership, now) = Overrunning();
        Assert.True(ownership.ClaimForApplication());

        Assert.False(ownership.Finish());
        Assert.Equal(TimeoutClaim.NotRunning, ownership.TryTimeOut(Timeout, now));
    }

    [Fact]
    public void The_next_request_on_the_connection_starts_its_own_clock()
    {
        var (ownership, now) = Overrunning();
        ownership.Finish();
        ownership.Begin(now);

        Assert.Equal(TimeoutClaim.NotDue, ownership.TryTimeOut(Timeout, now));
        Assert.False(ownership.IsTimedOut);
    }

    [Fact]
    public void Finish_reports_a_request_the_watchdog_took()
    {
        var (ownership, now) = Overrunning();
        ownership.TryTimeOut(Timeout, now);

        Assert.True(ownership.Finish());
        Assert.False(ownership.IsTimedOut);
    }

    [Fact]
    public void The_watchdog_waits_while_an_interim_response_is_being_sent()
    {
        var (ownership, now) = Overrunning();
        Assert.True(ownership.TryBeginInterim());

        Assert.Equal(TimeoutClaim.Busy, ownership.TryTimeOut(Timeout, now));

        ownership.EndInterim();
        Assert.Equal(TimeoutClaim.Answer, ownership.TryTimeOut(Timeout, now));
        Assert.False(ownership.TryBeginInterim());
    }

    [Fact]
    public void Racing_application_and_watchdog_give_each_response_exactly_one_head_writer()
    {
        // Each round begins one overrunning request; the application (claiming its head) and the watchdog are then
        // released together on two threads. Whoever loses must see the winner's claim.
        const int rounds = 5_000;
        var ownership = new ResponseOwnership();
        using var go = new Barrier(3);
        using var done = new Barrier(3);
        var applicationClaimed = new bool[rounds];
        var watchdogClaims = new TimeoutClaim[rounds];

        var racers = new[]
        {
            new Thread(() =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    go.SignalAndWait();
                    applicationClaimed[i] = ownership.ClaimForApplication();
                    done.SignalAndWait();
                }
            }),
            new Thread(() =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    go.SignalAndWait();
                    watchdogClaims[i] = ownership.TryTimeOut(Timeout, Stopwatch.GetTimestamp());
                    done.SignalAndWait();
                }
            }),
        };
        Array.ForEach(racers, t => t.Start());
        for (int i = 0; i < rounds; i++)
        {
            ownership.Begin(Stopwatch.GetTimestamp() - (2 * Stopwatch.Frequency));
            go.SignalAndWait();
            done.SignalAndWait();
            ownership.Finish();
        }

        Array.ForEach(racers, t => t.Join());
        for (int i = 0; i < rounds; i++)
        {
            // Answer: the watchdog wrote the head, so the application must not. Abort: the application wrote it first
            // and the watchdog cut the connection. Busy: the application's claim landed between the watchdog's look
            // and its swap, so the watchdog backed off. Nothing else can happen to a running, overdue request.
            var expected = watchdogClaims[i] switch
            {
                TimeoutClaim.Answer => false,
                TimeoutClaim.Abort or TimeoutClaim.Busy => true,
                var other => throw new Xunit.Sdk.XunitException($"round {i}: unexpected claim {other}"),
            };
            Assert.True(expected == applicationClaimed[i], $"round {i}: watchdog {watchdogClaims[i]}, application claimed {applicationClaimed[i]}");
        }
    }
}
