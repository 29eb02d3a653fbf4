using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// The floor under a loopback round trip: a thread that answers each request on one connection with fixed bytes,
/// with no HTTP parsing, actors or application. A round trip through the worker minus a round trip through this is
/// what the server itself costs.
/// </summary>
internal sealed class CannedResponder : IDisposable
{
    private readonly Socket _listener;
    private readonly byte[] _response;
    private readonly Thread _thread;

    private CannedResponder(byte[] response)
    {
        _response = response;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _thread = new Thread(Serve) { IsBackground = true, Name = "canned-responder" };
    }

    /// <summary>The loopback port it accepts on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts answering every request with <paramref name="response"/>.</summary>
    public static CannedResponder Start(byte[] response)
    {
        var responder = new CannedResponder(response);
        responder._thread.Start();
        return responder;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Serve()
    {
        try
        {
            using var client = _listener.Accept();
            client.NoDelay = true;
            var buffer = new byte[64 * 1024];
            int filled = 0;
            while (true)
            {
                int read = client.Receive(buffer.AsSpan(filled));
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int headEnd;
                while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                {
                    client.Send(_response);
                    int rest = filled - (headEnd + 4);
                    buffer.AsSpan(headEnd + 4, rest).CopyTo(buffer);
                    filled = rest;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The benchmark is over: the client or the listener was closed.
        }
    }
}
