using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>
/// User and group look-ups through the C library, so every NSS source (files, LDAP, systemd's dynamic users) answers,
/// as Python's <c>pwd</c> and <c>grp</c> modules do for gunicorn.
/// </summary>
internal static partial class Libc
{
    /// <summary>A user's id, primary group id and name.</summary>
    internal readonly record struct Account(string Name, uint Uid, uint Gid);

    /// <summary>The user called <paramref name="name"/>, or null when there is none.</summary>
    internal static Account? UserByName(string name) => ReadPasswd(GetPwNam(name));

    /// <summary>The user with id <paramref name="uid"/>, or null when there is none.</summary>
    internal static Account? UserById(uint uid) => ReadPasswd(GetPwUid(uid));

    /// <summary>The id of the group called <paramref name="name"/>, or null when there is none.</summary>
    internal static uint? GroupByName(string name)
    {
        var entry = GetGrNam(name);
        return entry == IntPtr.Zero ? null : Marshal.PtrToStructure<GroupEntry>(entry).Gid;
    }

    private static Account? ReadPasswd(IntPtr entry)
    {
        if (entry == IntPtr.Zero)
        {
            return null;
        }

        var passwd = Marshal.PtrToStructure<PasswdEntry>(entry);
        return new Account(Marshal.PtrToStringUTF8(passwd.Name) ?? string.Empty, passwd.Uid, passwd.Gid);
    }

    // getpwnam(3) and friends return static storage: these run on one thread at startup (settings, worker boot).
    [LibraryImport(Library, EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPwNam(string name);

    [LibraryImport(Library, EntryPoint = "getpwuid")]
    private static partial IntPtr GetPwUid(uint uid);

    [LibraryImport(Library, EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetGrNam(string name);

    // The leading members of glibc's struct passwd and struct group, which are all that is read.
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct PasswdEntry
    {
        public readonly IntPtr Name;
        public readonly IntPtr Password;
        public readonly uint Uid;
        public readonly uint Gid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct GroupEntry
    {
        public readonly IntPtr Name;
        public readonly IntPtr Password;
        public readonly uint Gid;
    }
}
