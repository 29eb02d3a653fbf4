using Akka.Actor;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Runtime;
using Xunit;

namespace ActorGunicorn.Core.Tests.Runtime;

/// <summary>
/// The tick-less scheduler, installed in an actor system by configuration exactly as the server's processes do it.
/// A "nothing arrives" window starts only after the item's due time has passed.
/// </summary>
public sealed class TimerQueueSchedulerSpecs : TestKit
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan WellPastDue = TimeSpan.FromMilliseconds(400);

    public TimerQueueSchedulerSpecs()
        : base("""akka.scheduler.implementation = "ActorGunicorn.Runtime.TimerQueueScheduler, ActorGunicorn.Core" """)
    {
    }

    [Fact]
    public void The_actor_system_must_run_on_the_configured_scheduler() =>
        Assert.IsType<TimerQueueScheduler>(Sys.Scheduler);

    [Fact]
    public void A_message_scheduled_once_must_arrive_once()
    {
        Sys.Scheduler.ScheduleTellOnce(Short, TestActor, "due", ActorRefs.NoSender);

        ExpectMsg("due");
        ExpectNoMsg(WellPastDue);
    }

    [Fact]
    public void A_cancelled_message_must_not_arrive()
    {
        var cancelable = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromMilliseconds(100), TestActor, "cancelled", ActorRefs.NoSender);
        cancelable.Cancel();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(150), TestActor, "later", ActorRefs.NoSender);

        ExpectMsg("later");
        ExpectNoMsg(WellPastDue);
    }

    [Fact]
    public void A_repeated_message_must_arrive_until_it_is_cancelled()
    {
        var cancelable = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(Short, Short, TestActor, "tick", ActorRefs.NoSender);

        ExpectMsg("tick");
        ExpectMsg("tick");
        ExpectMsg("tick");
        cancelable.Cancel();
        // A tick already on its way when the cancel came may still arrive; none after it.
        var late = ReceiveWhile(WellPastDue, message => message as string);
        Assert.True(late.Count <= 1, $"{late.Count} ticks after the cancel");
        ExpectNoMsg(WellPastDue);
    }

    [Fact]
    public void An_actor_s_periodic_timer_must_fire_and_stop_with_the_actor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));

        ExpectMsg("tick");
        ExpectMsg("tick");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        ExpectNoMsg(WellPastDue);
    }

    [Fact]
    public void Delays_beyond_what_a_timer_takes_must_be_accepted_and_cancellable()
    {
        var far = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromDays(400), TestActor, "far", ActorRefs.NoSender);
        Sys.Scheduler.ScheduleTellOnce(Short, TestActor, "near", ActorRefs.NoSender);

        ExpectMsg("near");
        far.Cancel();
        ExpectNoMsg(WellPastDue);
    }

    [Fact]
    public void A_failing_action_must_not_stop_the_others()
    {
        Sys.Scheduler.Advanced.ScheduleOnce(Short, () => throw new InvalidOperationException("scheduled failure"));
        Sys.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(100), () => TestActor.Tell("after the failure"));

        ExpectMsg("after the failure");
    }

    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        public Ticker(IActorRef target) => ReceiveAny(_ => target.Tell("tick"));

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", "tick", Short);
    }
}
