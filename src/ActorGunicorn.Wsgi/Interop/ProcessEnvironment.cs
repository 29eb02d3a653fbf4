using System.Runtime.InteropServices;

namespace ActorGunicorn.Wsgi.Interop;

/// <summary>The C library's copy of the environment, which CPython reads at initialisation.</summary>
internal static partial class ProcessEnvironment
{
    /// <summary>Removes a variable from both .NET's and the C library's environment.</summary>
    public static void Remove(string name)
    {
        Environment.SetEnvironmentVariable(name, null);
        _ = unsetenv(name);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);
}
