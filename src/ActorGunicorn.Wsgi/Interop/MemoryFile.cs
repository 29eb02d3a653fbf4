using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ActorGunicorn.Wsgi.Interop;

/// <summary>
/// Collects what native code writes to a file descriptor, as text: the descriptor is an anonymous in-memory file
/// (memfd_create), read back once the writer is done. Unlike a pipe, it never blocks a writer that outgrows a buffer
/// nobody reads yet, and unlike writing to stderr directly, the text reaches the log as one entry, not interleaved
/// with other threads' lines.
/// </summary>
internal static partial class MemoryFile
{
    private const uint MfdCloexec = 1;

    /// <summary>Runs <paramref name="write"/> with a fresh descriptor and returns what it wrote.</summary>
    /// <exception cref="IOException">No in-memory file could be created.</exception>
    public static string Capture(Action<int> write)
    {
        int fd = memfd_create("actorgunicorn-capture", MfdCloexec);
        if (fd < 0)
        {
            throw new IOException($"memfd_create failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        write(fd);
        var text = new byte[RandomAccess.GetLength(handle)];
        int read = 0;
        while (read < text.Length)
        {
            int n = RandomAccess.Read(handle, text.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(text, 0, read);
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int memfd_create(string name, uint flags);
}
