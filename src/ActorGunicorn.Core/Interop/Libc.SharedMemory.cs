using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>An anonymous shared-memory file and its mapping: what the arbiter and its workers share (the load board).</summary>
internal static partial class Libc
{
    internal const uint MfdCloexec = 0x1;
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapSharedFlag = 0x1;
    private const int MapPrivate = 0x2;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;
    private static readonly nint MapFailed = -1;

    [LibraryImport(Library, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int Ftruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary>
    /// Puts private, zeroed memory where a shared mapping was, in one step: the shared file is let go, and a late
    /// access to the old address still finds memory instead of faulting.
    /// </summary>
    internal static void ReplaceWithPrivateMemory(nint address, int length)
    {
        if (Mmap(address, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapFixed, -1, 0) == MapFailed)
        {
            throw new IOException($"mmap over the load board failed: {LastError()}");
        }
    }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> shared, for reading and writing.</summary>
    /// <exception cref="IOException">The mapping failed.</exception>
    internal static nint MapShared(int fd, int length)
    {
        nint address = Mmap(0, (nuint)length, ProtRead | ProtWrite, MapSharedFlag, fd, 0);
        return address == MapFailed ? throw new IOException($"mmap of fd {fd} failed: {LastError()}") : address;
    }
}
