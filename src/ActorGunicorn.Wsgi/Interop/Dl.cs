using System.Runtime.InteropServices;

namespace ActorGunicorn.Wsgi.Interop;

/// <summary>
/// The dynamic loader, called directly: libpython must be opened with <c>RTLD_GLOBAL</c> so that C extension modules
/// (which are not linked against libpython) find its symbols. <see cref="NativeLibrary.Load(string)"/> opens
/// libraries <c>RTLD_LOCAL</c>, which makes every such import fail with "undefined symbol".
/// </summary>
internal static partial class Dl
{
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    /// <summary>Opens a shared library with its symbols global; returns 0 and the loader's message on failure.</summary>
    public static nint OpenGlobal(string path, out string? error)
    {
        // Binding dlerror on its first call runs the loader, which clears a pending error: bind it (and clear any
        // stale error) before dlopen, so its message survives.
        _ = dlerror();
        nint handle = dlopen(path, RtldNow | RtldGlobal);
        error = handle == 0 ? Marshal.PtrToStringUTF8(dlerror()) : null;
        return handle;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string path, int flags);

    [LibraryImport("libc")]
    private static partial nint dlerror();
}
