using System.Runtime.InteropServices;

namespace ActorGunicorn.Wsgi.Interop;

/// <summary>
/// The functions <c>faulthandler</c> is built on, for dumping Python stacks from a thread that is not a Python
/// thread: they take no lock and need no GIL, so they work while an application thread holds the GIL in C code.
/// They write straight to a file descriptor and are async-signal-safe (faulthandler calls them from its signal
/// handlers and from its <c>dump_traceback_later</c> watchdog thread).
/// </summary>
/// <remarks>
/// <c>_Py_DumpTraceback</c> and <c>_Py_DumpTracebackThreads</c> are private API (exported by libpython 3.9 to 3.13),
/// so they are bound optionally: without them the worker logs that Python stacks are unavailable. Reading another
/// thread's frames without its lock is racy by design, exactly as in faulthandler: the dump is a best effort.
/// </remarks>
#pragma warning disable CA2211, SA1401 // Function-pointer fields are the binding table, as in CPython.
internal static unsafe class CPythonTracebacks
{
    /// <summary><c>void _Py_DumpTraceback(int fd, PyThreadState *tstate)</c>: one thread's frames.</summary>
    public static delegate* unmanaged<int, nint, void> _Py_DumpTraceback;

    /// <summary>
    /// <c>const char* _Py_DumpTracebackThreads(int fd, PyInterpreterState *interp, PyThreadState *current)</c>: every
    /// thread's frames; returns null, or a static error text.
    /// </summary>
    public static delegate* unmanaged<int, nint, nint, byte*> _Py_DumpTracebackThreads;

    /// <summary><c>PyInterpreterState *PyInterpreterState_Main(void)</c>: no GIL needed.</summary>
    public static delegate* unmanaged<nint> PyInterpreterState_Main;

    /// <summary><c>unsigned long PyThread_get_thread_ident(void)</c>: the id faulthandler prints for a thread.</summary>
    public static delegate* unmanaged<nuint> PyThread_get_thread_ident;

    /// <summary>Whether every function was found.</summary>
    public static bool Available { get; private set; }

    /// <summary>Binds what the library exports; <see cref="Available"/> says whether that was everything.</summary>
    public static void Bind(nint library)
    {
        _Py_DumpTraceback = (delegate* unmanaged<int, nint, void>)Export(library, nameof(_Py_DumpTraceback));
        _Py_DumpTracebackThreads = (delegate* unmanaged<int, nint, nint, byte*>)Export(library, nameof(_Py_DumpTracebackThreads));
        PyInterpreterState_Main = (delegate* unmanaged<nint>)Export(library, nameof(PyInterpreterState_Main));
        PyThread_get_thread_ident = (delegate* unmanaged<nuint>)Export(library, nameof(PyThread_get_thread_ident));
        Available = _Py_DumpTraceback is not null && _Py_DumpTracebackThreads is not null
            && PyInterpreterState_Main is not null && PyThread_get_thread_ident is not null;
    }

    private static nint Export(nint library, string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;
}
#pragma warning restore CA2211, SA1401
