using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>
/// futex(2) on a word of shared memory: one process sleeps until another changes the word and wakes it. The shared
/// (not FUTEX_PRIVATE) operations, because the word lives in the load board that the workers map.
/// </summary>
internal static unsafe partial class Libc
{
    private const int FutexWaitOperation = 0;
    private const int FutexWakeOperation = 1;

    // syscall(2) numbers of futex: the only call here with no libc wrapper.
    private static readonly long FutexSyscall = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        Architecture.X86 => 240,
        Architecture.Arm => 240,
        _ => -1,
    };

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int* address, int operation, int value, nint timeout, nint address2, int value3);

    /// <summary>Whether this architecture's futex call is known.</summary>
    internal static bool HasFutex => FutexSyscall >= 0;

    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, until a <see cref="FutexWake"/> on
    /// it (or a signal, or at once if the word has already changed): the caller reads the word again either way. False
    /// when the kernel refuses the call itself (a sandbox that forbids it): waiting again would spin.
    /// </summary>
    internal static bool FutexWait(int* word, int expected)
    {
        const int eintr = 4;
        return Syscall(FutexSyscall, word, FutexWaitOperation, expected, 0, 0, 0) == 0
            || Marshal.GetLastPInvokeError() is EAgain or eintr;
    }

    /// <summary>Wakes the processes sleeping on <paramref name="word"/>.</summary>
    internal static void FutexWake(int* word) =>
        Syscall(FutexSyscall, word, FutexWakeOperation, int.MaxValue, 0, 0, 0);
}
