using System.Runtime.InteropServices;

namespace ActorGunicorn.Interop;

/// <summary>poll(2) for one event nothing in .NET waits for alone: the peer of a socket hung up (POLLRDHUP).</summary>
internal static unsafe partial class Libc
{
    private const short PollReadHangUp = 0x2000;
    private const short PollHangUp = 0x10;
    private const short PollError = 0x8;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    /// <summary>
    /// Blocks until the peer of the socket <paramref name="fd"/> has closed it (or the socket failed), without reading
    /// from it: data waiting to be read neither wakes this nor is consumed. False when poll itself fails for a reason
    /// other than a signal (a closed descriptor).
    /// </summary>
    internal static bool WaitForPeerHangUp(int fd)
    {
        const int eintr = 4;
        var descriptor = new PollDescriptor { Fd = fd, Events = PollReadHangUp };
        while (true)
        {
            descriptor.ReturnedEvents = 0;
            if (Poll(&descriptor, 1, -1) > 0)
            {
                return (descriptor.ReturnedEvents & (PollReadHangUp | PollHangUp | PollError)) != 0;
            }

            if (Marshal.GetLastPInvokeError() != eintr)
            {
                return false;
            }
        }
    }
}
