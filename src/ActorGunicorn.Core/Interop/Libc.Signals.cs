using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>
/// Reading and resetting a signal's disposition and unblocking it: what a process needs to take back signals its
/// parent left ignored or blocked. Only glibc's layout of <c>struct sigaction</c> matters here, and only its first
/// field (the handler, at offset 0 on every Linux architecture glibc supports); the rest is zeroed.
/// </summary>
internal static partial class Libc
{
    internal const int SigHup = 1;
    internal const int SigInt = 2;
    internal const int SigQuit = 3;
    internal const int SigUsr2 = 12;
    internal const int SigChld = 17;
    internal const int SigTtin = 21;
    internal const int SigTtou = 22;
    internal const int SigWinch = 28;

    // glibc's struct sigaction is 152 bytes on x86-64 and arm64; a larger zeroed buffer is harmless.
    private const int SigActionSize = 256;

    // glibc's sigset_t: 1024 bits.
    private const int SigSetSize = 128;

    private const int SigUnblock = 1;
    private static readonly nint SigDfl = 0;
    private static readonly nint SigIgn = 1;

    [LibraryImport(Library, EntryPoint = "sigaction", SetLastError = true)]
    private static unsafe partial int SigAction(int signal, byte* action, byte* oldAction);

    [LibraryImport(Library, EntryPoint = "sigemptyset", SetLastError = true)]
    private static unsafe partial int SigEmptySet(byte* set);

    [LibraryImport(Library, EntryPoint = "sigaddset", SetLastError = true)]
    private static unsafe partial int SigAddSet(byte* set, int signal);

    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    private static unsafe partial int PthreadSigMask(int how, byte* set, byte* oldSet);

    /// <summary>Whether <paramref name="signal"/> is ignored (SIG_IGN) in this process.</summary>
    internal static unsafe bool IsIgnored(int signal)
    {
        byte* current = stackalloc byte[SigActionSize];
        new Span<byte>(current, SigActionSize).Clear();
        return SigAction(signal, null, current) == 0 && *(nint*)current == SigIgn;
    }

    /// <summary>Gives <paramref name="signal"/> its default disposition (SIG_DFL).</summary>
    internal static unsafe void SetDefaultDisposition(int signal)
    {
        byte* action = stackalloc byte[SigActionSize];
        new Span<byte>(action, SigActionSize).Clear();
        *(nint*)action = SigDfl;
        if (SigAction(signal, action, null) != 0)
        {
            throw new IOException($"sigaction({signal}) failed: {LastError()}");
        }
    }

    /// <summary>Removes <paramref name="signals"/> from the calling thread's signal mask.</summary>
    internal static unsafe void Unblock(ReadOnlySpan<int> signals)
    {
        byte* set = stackalloc byte[SigSetSize];
        if (SigEmptySet(set) != 0)
        {
            throw new IOException($"sigemptyset failed: {LastError()}");
        }

        foreach (int signal in signals)
        {
            if (SigAddSet(set, signal) != 0)
            {
                throw new IOException($"sigaddset({signal}) failed: {LastError()}");
            }
        }

        // pthread_sigmask returns the error number instead of setting errno.
        int error = PthreadSigMask(SigUnblock, set, null);
        if (error != 0)
        {
            throw new IOException($"pthread_sigmask(SIG_UNBLOCK) failed with error {error}");
        }
    }
}
