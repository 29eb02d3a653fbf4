using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace ActorGunicorn.Runtime;

/// <summary>
/// Akka's scheduler on the runtime's timer queue: each scheduled item is a <see cref="Timer"/>, and the queue's one
/// thread sleeps until the earliest is due. Akka's default (<see cref="HashedWheelTimerScheduler"/>) wakes at every
/// tick whether or not anything is due: at 10 ms an idle arbiter or worker used 1 % of a core for nothing, at
/// 100 ms 0.2 %, and a longer tick would delay the server's 20–250 ms timers. The server's own processes use this
/// one (see <see cref="ActorSystemHost"/>); an application's actor system keeps what it configured.
/// Callbacks run on the thread pool, one at a time per item: a repeated item is re-armed after its callback returns.
/// </summary>
internal sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    private readonly ConcurrentDictionary<ScheduledItem, byte> _pending = new();
    private volatile bool _disposed;

    // Akka creates its scheduler by reflection with exactly these arguments.
    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log)
        : base(scheduler, log)
    {
    }

    private static readonly long ClockStart = Stopwatch.GetTimestamp();

    public override TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(ClockStart);

    public override TimeSpan HighResMonotonicClock => Stopwatch.GetElapsedTime(ClockStart);

    protected override DateTimeOffset TimeNow => DateTimeOffset.UtcNow;

    public void Dispose()
    {
        _disposed = true;
        foreach (var item in _pending.Keys)
        {
            item.Dispose();
        }
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, null, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Schedule(delay, null, action, cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Schedule(delay, null, action.Run, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action.Run, cancelable);

    private void Schedule(TimeSpan delay, TimeSpan? interval, Action action, ICancelable? cancelable)
    {
        if (_disposed || cancelable?.IsCancellationRequested == true)
        {
            return;
        }

        var item = new ScheduledItem(this, action, interval, cancelable);
        _pending[item] = 0;
        item.Start(delay);
    }

    private void Run(ScheduledItem item)
    {
        if (_disposed || item.Cancelable?.IsCancellationRequested == true)
        {
            Forget(item);
            return;
        }

        try
        {
            item.Action();
        }
        catch (Exception ex)
        {
            // As Akka's own scheduler does: one failing callback must not stop the others.
            Log.Error(ex, "A scheduled callback failed");
        }

        if (item.Interval is { } interval && !_disposed && item.Cancelable?.IsCancellationRequested != true)
        {
            item.Rearm(interval);
        }
        else
        {
            Forget(item);
        }
    }

    private void Forget(ScheduledItem item)
    {
        _pending.TryRemove(item, out _);
        item.Dispose();
    }

    private sealed class ScheduledItem(TimerQueueScheduler scheduler, Action action, TimeSpan? interval, ICancelable? cancelable) : IDisposable
    {
        // The longest wait a Timer takes (2^32 - 2 ms, 49.7 days); a longer one fires then, as if due.
        private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

        private Timer? _timer;
        private CancellationTokenRegistration _cancellation;

        public Action Action { get; } = action;

        public TimeSpan? Interval { get; } = interval;

        public ICancelable? Cancelable { get; } = cancelable;

        public void Start(TimeSpan delay)
        {
            // The timer must not carry the scheduling thread's execution context (an actor's, a request's) along.
            using (ExecutionContext.SuppressFlow())
            {
                _timer = new Timer(static state => ((ScheduledItem)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            if (Cancelable is not null)
            {
                _cancellation = Cancelable.Token.UnsafeRegister(static state => ((ScheduledItem)state!).Cancelled(), this);
            }

            Rearm(delay);
        }

        public void Rearm(TimeSpan delay)
        {
            try
            {
                var wait = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestDelay ? LongestDelay : delay;
                _timer?.Change(wait, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Cancelled or disposed meanwhile.
            }
        }

        public void Dispose()
        {
            // Unregister, not Dispose: this may run inside the cancellation callback, and Dispose would wait for it.
            _cancellation.Unregister();
            _timer?.Dispose();
        }

        private void Fire() => scheduler.Run(this);

        private void Cancelled() => scheduler.Forget(this);
    }
}
