using System.Runtime.InteropServices;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Runtime;

/// <summary>
/// Turns process signals into calls on a target (which tells an actor), cancelling the runtime's default handling:
/// .NET 10 has no SIGTERM handler of its own, so without this a SIGTERM kills the process on the spot. Signals that
/// arrive before the target is attached are kept and delivered in order once it is. Whatever disposition or mask the
/// process inherited, its signals are taken back first (<see cref="InheritedSignals"/>).
/// </summary>
internal sealed class SignalBridge : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Queue<ServerSignal> _early = new();
    private readonly Lock _lock = new();
    private Action<ServerSignal>? _target;

    // Signals by their Linux numbers: PosixSignal's named values are abstract (SIGHUP is -1), and it accepts raw numbers.
    private SignalBridge(IReadOnlyList<(int Number, ServerSignal Signal)> signals, params int[] alsoReclaimed)
    {
        InheritedSignals.Reclaim([.. signals.Select(s => s.Number), .. alsoReclaimed]);
        foreach (var (number, signal) in signals)
        {
            _registrations.Add(PosixSignalRegistration.Create((PosixSignal)number, context =>
            {
                context.Cancel = true;
                Deliver(signal);
            }));
        }
    }

    /// <summary>
    /// The arbiter's signals: gunicorn's master set. SIGCHLD is reclaimed too: inherited as ignored, the kernel would
    /// reap exited workers itself and their exit codes would be lost.
    /// </summary>
    public static SignalBridge ForArbiter() => new(
    [
        (Libc.SigHup, ServerSignal.Hup),
        (Libc.SigTerm, ServerSignal.Term),
        (Libc.SigInt, ServerSignal.Interrupt),
        (Libc.SigQuit, ServerSignal.Quit),
        (Libc.SigTtin, ServerSignal.Ttin),
        (Libc.SigTtou, ServerSignal.Ttou),
        (Libc.SigUsr1, ServerSignal.Usr1),
        (Libc.SigUsr2, ServerSignal.Usr2),
        (Libc.SigWinch, ServerSignal.Winch),
    ], Libc.SigChld);

    /// <summary>
    /// A worker's signals, as in gunicorn's worker: TERM drains, INT and QUIT exit at once, USR1 reopens logs.
    /// HUP gets its default action (the worker dies and the arbiter replaces it), as in gunicorn, even when inherited
    /// as ignored; SIGABRT (the arbiter's timeout) is reclaimed here for <see cref="WorkerAbort"/>.
    /// </summary>
    public static SignalBridge ForWorker() => new(
    [
        (Libc.SigTerm, ServerSignal.Term),
        (Libc.SigInt, ServerSignal.Interrupt),
        (Libc.SigQuit, ServerSignal.Quit),
        (Libc.SigUsr1, ServerSignal.Usr1),
    ], Libc.SigHup, Libc.SigAbrt);

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
