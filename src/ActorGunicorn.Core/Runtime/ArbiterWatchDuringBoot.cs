using ActorGunicorn.Interop;

namespace ActorGunicorn.Runtime;

/// <summary>
/// While a worker boots (runs hooks, imports the application, starts its actors) nothing reads the control channel:
/// this thread notices the arbiter's death meanwhile, as the channel's peer hanging up, and ends the worker at once,
/// before it could serve a request for an arbiter that no longer supervises it. Once the worker serves, its control
/// link reads the end of the stream itself and stops it the usual way.
/// </summary>
internal sealed class ArbiterWatchDuringBoot
{
    private readonly Serilog.ILogger _log;
    private volatile bool _serving;

    private ArbiterWatchDuringBoot(Serilog.ILogger log) => _log = log;

    /// <summary>Starts watching the control channel's descriptor <paramref name="controlFd"/>.</summary>
    public static ArbiterWatchDuringBoot Start(int controlFd, Serilog.ILogger log)
    {
        var watch = new ArbiterWatchDuringBoot(log);
        // Blocked in poll(2) all its life: costs nothing. A background thread, so it never holds the process up.
        new Thread(() => watch.Watch(controlFd), maxStackSize: 256 * 1024) { IsBackground = true, Name = "arbiter-watch" }.Start();
        return watch;
    }

    /// <summary>The worker's actors run from now on: they watch the arbiter themselves.</summary>
    public void Serving() => _serving = true;

    private void Watch(int controlFd)
    {
        if (!Libc.WaitForPeerHangUp(controlFd) || _serving)
        {
            return;
        }

        // Nothing was accepted yet, so nothing is lost; the application may be mid-import on another thread, where a
        // managed exit could wait on it: leave at once, as gunicorn's worker does when its parent changes.
        _log.Information("Parent changed, shutting down: worker (pid:{Pid})", Environment.ProcessId);
        Libc.ExitImmediately(ExitCodes.Success);
    }
}
