using System.Runtime.InteropServices;
using ActorGunicorn.Gateway;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Runtime;

/// <summary>
/// gunicorn's <c>handle_abort</c>: the arbiter sends SIGABRT to a worker that sent no heartbeat for
/// <c>--timeout</c>. The worker logs the requests in flight and the stacks of its threads (for WSGI the Python
/// stacks of every thread, as faulthandler prints them), runs the <c>worker_abort</c> hook, and exits with code 1
/// at once. If it cannot (SIGABRT ignored, a hook that hangs), the arbiter sends SIGKILL on its next tick.
/// </summary>
/// <remarks>
/// <para>
/// The handler is a <see cref="PosixSignalRegistration"/>: the runtime's own signal handler only records the signal,
/// and the callback runs later on an ordinary .NET thread, where logging, reading the in-flight list and calling into
/// libpython's dump functions are all allowed. Installing a handler with <c>sigaction</c> from managed code would not
/// be safe: it would run in signal context on whichever thread was interrupted, possibly in the middle of a garbage
/// collection or holding a runtime or allocator lock, and entering managed code from there (a reverse P/Invoke, an
/// allocation) can deadlock or corrupt the process; it would also replace the runtime's handler chain.
/// </para>
/// <para>
/// Unlike gunicorn's Python handler, which only runs when the main thread next executes bytecode (and so never runs
/// while that thread is stuck in C code, gunicorn #2284), this one does not need the stuck thread or the GIL.
/// </para>
/// </remarks>
internal sealed class WorkerAbort : IDisposable
{
    private const PosixSignal SigAbrt = (PosixSignal)6;

    private readonly ILogger _log;
    private readonly InFlightRequests _inFlight;
    private readonly Action? _workerAbortHook;
    private readonly PosixSignalRegistration _registration;
    private IGatewayApplication? _application;
    private int _aborting;

    private WorkerAbort(ILogger log, InFlightRequests inFlight, Action? workerAbortHook)
    {
        _log = log;
        _inFlight = inFlight;
        _workerAbortHook = workerAbortHook;
        _registration = PosixSignalRegistration.Create(SigAbrt, OnAbort);
    }

    /// <summary>Takes SIGABRT from now on.</summary>
    /// <param name="log">The worker's error log.</param>
    /// <param name="inFlight">The requests the worker is running, listed in the log.</param>
    /// <param name="workerAbortHook">gunicorn's <c>worker_abort</c> server hook, or null when none is configured.</param>
    public static WorkerAbort Install(ILogger log, InFlightRequests inFlight, Action? workerAbortHook = null) =>
        new(log, inFlight, workerAbortHook);

    /// <summary>The application, once loaded: an abort logs its stacks if it can dump them (WSGI).</summary>
    public void Serving(IGatewayApplication application) => Volatile.Write(ref _application, application);

    /// <inheritdoc />
    public void Dispose() => _registration.Dispose();

    private void OnAbort(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _aborting, 1) == 1)
        {
            return;
        }

        try
        {
            LogRequestsAndStacks();
            RunWorkerAbortHook();
        }
        catch (Exception ex)
        {
            _log.AbortLoggingFailed(ex);
        }
        finally
        {
            _log.WorkerAbortExiting(Environment.ProcessId);
            Console.Out.Flush();
            Console.Error.Flush();
            // Not Environment.Exit: its exit handlers would stop the actor system and the interpreter, and both wait
            // for the very threads that are stuck. The log is flushed; nothing else needs to survive.
            Libc.ExitImmediately(ExitCodes.Failure);
        }
    }

    private void LogRequestsAndStacks()
    {
        var requests = _inFlight.OlderThan(TimeSpan.Zero);
        _log.WorkerAborting(Environment.ProcessId, requests.Count);
        foreach (var request in requests)
        {
            var exchange = request.Exchange;
            string described = RequestTimeouts.Describe(exchange.Method, exchange.RawTarget);
            string seconds = RequestTimeouts.Seconds(exchange.Elapsed);
            _log.RequestInFlight(described, seconds, request.ThreadId);
        }

        switch (Volatile.Read(ref _application))
        {
            case null:
                _log.AbortWhileLoading();
                break;
            case IGatewayStackDumps dumps:
                string stacks = dumps.DumpAllStacks() ?? "(no threads)";
                _log.AbortStacks(stacks);
                break;
            default:
                _log.AbortWithoutStacks();
                break;
        }
    }

    // gunicorn's worker_abort(worker) hook point: after the stacks are logged, before the process exits. Server hooks
    // plug in here through the constructor; without one configured this does nothing.
    private void RunWorkerAbortHook() => _workerAbortHook?.Invoke();
}
