using System.Net.Sockets;
using System.Text;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>Slowloris: many clients trickling header bytes must not keep a prompt client out.</summary>
public sealed class SlowClientTests
{
    private const int SlowClients = 1000;

    [Fact]
    public async Task A_thousand_connections_trickling_one_header_byte_a_second_do_not_keep_a_prompt_client_out()
    {
        // The header timeout is far longer than the test, so only shedding under pressure can let the prompt client in:
        // without it, the 1,000 slow connections fill the worker's 1,000 slots and the client waits in the backlog.
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--header-timeout", "600", Paths.HelloWorld]);
        var slow = new List<Socket>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (int i = 0; i < SlowClients; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", server.Port);
                await socket.SendAsync(Encoding.ASCII.GetBytes("G"));
                slow.Add(socket);
            }

            var trickle = TrickleAsync(slow, stop.Token);
            await server.WaitForLineAsync(l => l.Contains("RequestTimeout: The request head was too slow while the worker was short of connections", StringComparison.Ordinal));

            var prompt = await Tools.CurlAsync("--max-time", "15", $"http://127.0.0.1:{server.Port}/");

            Assert.Equal(0, prompt.ExitCode);
            Assert.Equal("Hello, World!", prompt.StandardOutput);
            await stop.CancelAsync();
            await trickle;
        }
        finally
        {
            slow.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task One_client_address_may_hold_only_limit_peer_connections_while_others_are_served()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--limit-peer-connections", "5", Paths.HelloWorld]);
        var fromOnePeer = new List<Socket>();
        try
        {
            // 127.0.0.2 is a loopback address too, but not a trusted front end (forwarded-allow-ips), so it is counted.
            for (int i = 0; i < 6; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync("127.0.0.1", server.Port);
                fromOnePeer.Add(socket);
            }

            // The sixth is closed at once: its request gets no answer. The first five still get answers.
            var buffer = new byte[256];
            Assert.Equal(string.Empty, await AnswerOrNothingAsync(fromOnePeer[5], buffer));
            await fromOnePeer[0].SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 200 OK", Encoding.ASCII.GetString(buffer, 0, await fromOnePeer[0].ReceiveAsync(buffer)), StringComparison.Ordinal);
            Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
        }
        finally
        {
            fromOnePeer.ForEach(socket => socket.Dispose());
        }
    }

    // What the server answers a request on this socket; empty when it closed (or reset) the connection instead.
    private static async Task<string> AnswerOrNothingAsync(Socket socket, byte[] buffer)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            return Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer));
        }
        catch (SocketException)
        {
            return string.Empty;
        }
    }

    // One more header byte on every connection each second, as slowloris does; a connection the server closed is left.
    private static async Task TrickleAsync(List<Socket> sockets, CancellationToken stop)
    {
        var header = Encoding.ASCII.GetBytes("ET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + new string('s', 4000));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            for (int i = 0; await timer.WaitForNextTickAsync(stop) && i < header.Length; i++)
            {
                foreach (var socket in sockets)
                {
                    try
                    {
                        socket.Send(header.AsSpan(i, 1), SocketFlags.None);
                    }
                    catch (SocketException)
                    {
                        // Shed by the server: that is the point.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
