using System.Globalization;
using System.Runtime.InteropServices;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// Python stacks for the worker's logs, dumped the way faulthandler does it (no GIL, from any thread): one request
/// thread's, found by its managed thread id, or every Python thread's. The request threads register their thread
/// state here for as long as they are primed; a dump holds the registry's lock, so a thread state is never deleted
/// while it is being read.
/// </summary>
internal sealed unsafe class PythonStacks
{
    private const string Unavailable = "(Python stacks are unavailable: this libpython does not export _Py_DumpTraceback)";

    private readonly Lock _lock = new();
    private readonly Dictionary<int, (nint ThreadState, nuint Ident)> _threads = [];

    /// <summary>Records the calling thread's Python thread state (once it is primed).</summary>
    public void Register(nint threadState)
    {
        nuint ident = CPythonTracebacks.PyThread_get_thread_ident is not null ? CPythonTracebacks.PyThread_get_thread_ident() : 0;
        lock (_lock)
        {
            _threads[Environment.CurrentManagedThreadId] = (threadState, ident);
        }
    }

    /// <summary>Forgets the calling thread, before its thread state is deleted; waits for a dump in progress.</summary>
    public void Unregister()
    {
        lock (_lock)
        {
            _threads.Remove(Environment.CurrentManagedThreadId);
        }
    }

    /// <summary>
    /// The Python stack of the request thread with this managed id, headed like faulthandler's
    /// (<c>Thread 0x… (most recent call first):</c>); null when it is not a Python request thread.
    /// </summary>
    public string? DumpThread(int managedThreadId)
    {
        lock (_lock)
        {
            if (!_threads.TryGetValue(managedThreadId, out var thread))
            {
                return null;
            }

            if (!CPythonTracebacks.Available)
            {
                return Unavailable;
            }

            string frames = MemoryFile.Capture(fd => CPythonTracebacks._Py_DumpTraceback(fd, thread.ThreadState));
            // _Py_DumpTraceback heads its output "Stack (most recent call first):"; name the thread instead, so the
            // stack can be found again in a dump of all threads.
            int firstLineEnd = frames.IndexOf('\n', StringComparison.Ordinal);
            string header = string.Create(CultureInfo.InvariantCulture, $"Thread 0x{(ulong)thread.Ident:x16} (most recent call first):");
            return firstLineEnd < 0 ? header : header + frames[firstLineEnd..].TrimEnd();
        }
    }

    /// <summary>Every Python thread's stack (the request threads and the application's own), as faulthandler prints them.</summary>
    public string DumpAll()
    {
        if (!CPythonTracebacks.Available)
        {
            return Unavailable;
        }

        lock (_lock)
        {
            string? error = null;
            string frames = MemoryFile.Capture(fd =>
            {
                byte* failure = CPythonTracebacks._Py_DumpTracebackThreads(fd, CPythonTracebacks.PyInterpreterState_Main(), 0);
                error = failure is null ? null : Marshal.PtrToStringUTF8((nint)failure);
            });
            return error is null ? frames.TrimEnd() : $"(Python stacks are unavailable: {error})";
        }
    }
}
