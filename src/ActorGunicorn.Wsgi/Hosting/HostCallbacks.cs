using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// The C functions the shim calls through ctypes (which releases the GIL around each call). A request runs
/// entirely on one Python thread, so the call in progress is a thread-static. No exception may leave these
/// functions: the runtime would abort the process. Failures are kept on the call and reported as -1.
/// </summary>
internal static unsafe class HostCallbacks
{
    [ThreadStatic]
    private static WsgiCall? t_current;

    /// <summary>Where the shim's warnings go.</summary>
    public static ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The call running on this thread.</summary>
    public static WsgiCall? Current
    {
        get => t_current;
        set => t_current = value;
    }

    public static nint Read => (nint)(delegate* unmanaged[Cdecl]<byte*, nint, nint>)&OnRead;

    public static nint Write => (nint)(delegate* unmanaged[Cdecl]<byte*, nint, byte*, nint, int, int>)&OnWrite;

    public static nint SendFile => (nint)(delegate* unmanaged[Cdecl]<byte*, nint, int, long, long, long>)&OnSendFile;

    public static nint Log => (nint)(delegate* unmanaged[Cdecl]<int, byte*, nint, void>)&OnLog;

    public static nint Failure => (nint)(delegate* unmanaged[Cdecl]<byte*, nint, nint>)&OnFailure;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint OnRead(byte* buffer, nint size) =>
        t_current?.ReadBody(new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue))) ?? -1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWrite(byte* head, nint headLength, byte* data, nint dataLength, int flush) =>
        t_current?.Send(new ReadOnlySpan<byte>(head, (int)headLength), new ReadOnlySpan<byte>(data, (int)dataLength), flush != 0) ?? -1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long OnSendFile(byte* head, nint headLength, int fd, long offset, long count) =>
        t_current?.SendFile(new ReadOnlySpan<byte>(head, (int)headLength), fd, offset, count) ?? -1;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint OnFailure(byte* buffer, nint size) =>
        t_current?.FailureMessage(new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue))) ?? 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* message, nint length)
    {
        try
        {
            if (Logger.IsEnabled((LogLevel)level))
            {
#pragma warning disable CA1848, CA2254 // The message is the shim's text, already formatted.
                Logger.Log((LogLevel)level, Encoding.UTF8.GetString(message, (int)length));
#pragma warning restore CA1848, CA2254
            }
        }
        catch (Exception)
        {
            // Logging must never take the worker down.
        }
    }
}
