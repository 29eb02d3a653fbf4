using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>What <see cref="FreshConnectionClients"/> saw, attempt by attempt.</summary>
/// <param name="Answered">Requests answered in full (status 200 and the whole body).</param>
/// <param name="Reset">
/// Connections that <c>connect()</c> completed and that then ended without a full response: reset, or closed early.
/// The number a deploy must keep at zero.
/// </param>
/// <param name="Refused">Connections refused (ECONNREFUSED): the listener was closed.</param>
/// <param name="ResetDetails">For each reset connection: when it connected and how it ended, for the failure message.</param>
internal sealed record ClientOutcome(int Answered, int Reset, int Refused, IReadOnlyList<string> ResetDetails)
{
    public override string ToString() =>
        $"answered {Answered}, reset {Reset}, refused {Refused}" + (ResetDetails.Count > 0 ? "\n" + string.Join('\n', ResetDetails) : string.Empty);
}

/// <summary>
/// Clients that each open a fresh connection per request (<c>Connection: close</c>), as a load balancer's clients and
/// health checks do during a rolling deploy, and sort every attempt into answered, reset or refused. Each client
/// stops at its first refused connection when <c>untilRefused</c> (the server is going away), or when told to;
/// disposal stops them all.
/// </summary>
internal sealed class FreshConnectionClients : IAsyncDisposable
{
    // A SYN dropped by a closed listener gate is retried after 1 s, then 3 s, 7 s…: a connect may take that long
    // before it completes (another worker) or is refused (the server is gone).
    private static readonly TimeSpan ConnectPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResponsePatience = TimeSpan.FromSeconds(30);

    private readonly IPEndPoint _server;
    private readonly string _request;
    private readonly bool _untilRefused;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<string> _resetDetails = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task[] _clients;
    private int _answered;
    private int _refused;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FreshConnectionClients(int port, int clients, string target, bool untilRefused)
    {
        _server = new IPEndPoint(IPAddress.Loopback, port);
        _request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        _untilRefused = untilRefused;
        _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(RunClientAsync))];
    }

    /// <summary>Starts <paramref name="clients"/> clients requesting <paramref name="target"/> from 127.0.0.1:<paramref name="port"/>.</summary>
    public static FreshConnectionClients Start(int port, int clients, string target, bool untilRefused = false) =>
        new(port, clients, target, untilRefused);

    /// <summary>Requests answered so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Waits until <paramref name="count"/> more requests have been answered than when called.</summary>
    public async Task WaitForAnsweredAsync(int count, TimeSpan? timeout = null)
    {
        int target = Answered + count;
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (Answered < target)
        {
            Task progress;
            lock (_lock)
            {
                progress = _progress.Task;
            }

            if (Answered >= target)
            {
                break;
            }

            await progress.WaitAsync(deadline.Token);
        }
    }

    /// <summary>Lets every client finish its current request, then returns what they saw.</summary>
    public async Task<ClientOutcome> StopAsync()
    {
        await _stop.CancelAsync();
        return await FinishAsync();
    }

    /// <summary>Waits for every client to end by itself (each at its first refused connection), then returns what they saw.</summary>
    public async Task<ClientOutcome> FinishAsync(TimeSpan? timeout = null)
    {
        await Task.WhenAll(_clients).WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        lock (_lock)
        {
            return new ClientOutcome(_answered, _resetDetails.Count, _refused, [.. _resetDetails]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_clients).WaitAsync(ConnectPatience + ResponsePatience);
        }
        catch (TimeoutException)
        {
            // A client stuck past every patience has already failed its test; it ends with its timeouts.
        }

        _stop.Dispose();
    }

    private async Task RunClientAsync()
    {
        var request = Encoding.ASCII.GetBytes(_request);
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var connectDeadline = new CancellationTokenSource(ConnectPatience);
                await socket.ConnectAsync(_server, connectDeadline.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                Interlocked.Increment(ref _refused);
                if (_untilRefused)
                {
                    return;
                }

                continue;
            }

            var connectedAt = _clock.Elapsed;
            string? failure;
            try
            {
                await socket.SendAsync(request);
                using var responseDeadline = new CancellationTokenSource(ResponsePatience);
                failure = CompleteResponse(await ReadToEndAsync(socket, responseDeadline.Token));
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                failure = ex is SocketException socketError ? socketError.SocketErrorCode.ToString() : ex.GetType().Name;
            }

            lock (_lock)
            {
                if (failure is null)
                {
                    _answered++;
                }
                else
                {
                    _resetDetails.Add($"connected at {connectedAt.TotalSeconds:F3} s, ended at {_clock.Elapsed.TotalSeconds:F3} s: {failure}");
                }

                _progress.TrySetResult();
                _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellation)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cancellation)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }

    // Null for a whole 200 response; otherwise what was wrong with it.
    private static string? CompleteResponse(byte[] response)
    {
        var text = Encoding.Latin1.GetString(response);
        int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || headEnd < 0)
        {
            return response.Length == 0 ? "closed without a response" : $"not a 200: {text[..Math.Min(text.Length, 40)]}";
        }

        var lengthLine = text[..headEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is not null && int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) != response.Length - headEnd - 4)
        {
            return "body cut short";
        }

        return null;
    }
}
