using System.Runtime.InteropServices;
using ActorGunicorn.Arbitration;

namespace ActorGunicorn.Runtime;

/// <summary>
/// Turns process signals into calls on a target (which tells an actor), cancelling the runtime's default handling:
/// .NET 10 has no SIGTERM handler of its own, so without this a SIGTERM kills the process on the spot. Signals that
/// arrive before the target is attached are kept and delivered in order once it is.
/// </summary>
internal sealed class SignalBridge : IDisposable
{
    // Linux numbers; PosixSignal has no names for USR1/USR2 but accepts raw values.
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Queue<ServerSignal> _early = new();
    private readonly Lock _lock = new();
    private Action<ServerSignal>? _target;

    private SignalBridge(IEnumerable<(PosixSignal Posix, ServerSignal Signal)> signals)
    {
        foreach (var (posix, signal) in signals)
        {
            _registrations.Add(PosixSignalRegistration.Create(posix, context =>
            {
                context.Cancel = true;
                Deliver(signal);
            }));
        }
    }

    /// <summary>The arbiter's signals: gunicorn's master set.</summary>
    public static SignalBridge ForArbiter() => new(
    [
        (PosixSignal.SIGHUP, ServerSignal.Hup),
        (PosixSignal.SIGTERM, ServerSignal.Term),
        (PosixSignal.SIGINT, ServerSignal.Interrupt),
        (PosixSignal.SIGQUIT, ServerSignal.Quit),
        (PosixSignal.SIGTTIN, ServerSignal.Ttin),
        (PosixSignal.SIGTTOU, ServerSignal.Ttou),
        ((PosixSignal)SigUsr1, ServerSignal.Usr1),
        ((PosixSignal)SigUsr2, ServerSignal.Usr2),
        (PosixSignal.SIGWINCH, ServerSignal.Winch),
    ]);

    /// <summary>
    /// A worker's signals, as in gunicorn's worker: TERM drains, INT and QUIT exit at once, USR1 reopens logs.
    /// HUP keeps its default action (the worker dies and the arbiter replaces it), as in gunicorn.
    /// </summary>
    public static SignalBridge ForWorker() => new(
    [
        (PosixSignal.SIGTERM, ServerSignal.Term),
        (PosixSignal.SIGINT, ServerSignal.Interrupt),
        (PosixSignal.SIGQUIT, ServerSignal.Quit),
        ((PosixSignal)SigUsr1, ServerSignal.Usr1),
    ]);

    /// <summary>Sends every later signal, and any that arrived earlier, to <paramref name="target"/>.</summary>
    public void Attach(Action<ServerSignal> target)
    {
        lock (_lock)
        {
            _target = target;
            while (_early.Count > 0)
            {
                target(_early.Dequeue());
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Deliver(ServerSignal signal)
    {
        lock (_lock)
        {
            if (_target is null)
            {
                _early.Enqueue(signal);
            }
            else
            {
                _target(signal);
            }
        }
    }
}
