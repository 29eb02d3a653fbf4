using ActorGunicorn.Interop;

namespace ActorGunicorn.Runtime;

/// <summary>
/// Takes back the signals a server handles from whatever its parent left them as. gunicorn installs its handlers
/// whatever it inherited; .NET does not: <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/> leaves a
/// signal that was ignored at start ignored (nohup ignores HUP; shells start background jobs with INT and QUIT
/// ignored; some supervisors and CI runners ignore more), and a signal blocked in the inherited mask is never
/// delivered. So each such signal is reset to its default and unblocked, before the runtime reads the dispositions.
/// </summary>
/// <remarks>
/// This must run before anything initialises the runtime's signal handling (the first PosixSignalRegistration, and
/// Console or Process, which install SIGINT, SIGQUIT, SIGCONT and SIGCHLD handlers and remember an ignored one as
/// handled for good): that is why <see cref="SignalBridge"/> calls it first. Only the calling thread's mask changes;
/// threads the runtime started earlier keep theirs, which is enough, since the kernel delivers a process-directed
/// signal to any thread that does not block it.
/// </remarks>
internal static class InheritedSignals
{
    /// <summary>Resets each of <paramref name="signals"/> that is ignored to its default, and unblocks them all.</summary>
    public static void Reclaim(ReadOnlySpan<int> signals)
    {
        foreach (int signal in signals)
        {
            if (Libc.IsIgnored(signal))
            {
                Libc.SetDefaultDisposition(signal);
            }
        }

        Libc.Unblock(signals);
    }
}
