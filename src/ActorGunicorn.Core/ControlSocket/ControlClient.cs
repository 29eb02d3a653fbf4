using System.Globalization;
using System.Net.Sockets;

namespace ActorGunicorn.ControlSocket;

/// <summary>The client side of the control socket: connect, send one request, read its reply.</summary>
internal static class ControlClient
{
    /// <summary>Sends <paramref name="command"/> to the server at <paramref name="path"/> and returns its reply.</summary>
    /// <param name="path">The control socket.</param>
    /// <param name="command">The command.</param>
    /// <param name="timeout">How long to wait for the whole exchange.</param>
    /// <returns>The server's reply (which may report an error).</returns>
    /// <exception cref="ControlUnreachableException">Nothing answers at the path, or no reply came in time.</exception>
    public static async Task<ControlReply> SendAsync(string path, ControlCommand command, TimeSpan timeout)
    {
        if (ControlSocketPath.CheckLength(path) is { } tooLong)
        {
            throw new ControlUnreachableException(path, tooLong);
        }

        using var deadline = new CancellationTokenSource(timeout);
        using var connection = new ControlConnection(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        try
        {
            await connection.ConnectAsync(path, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ControlUnreachableException(path, WhyNotConnected(path, ex));
        }

        try
        {
            await connection.WriteFrameAsync(new ControlRequest(1, command).ToJson(), deadline.Token).ConfigureAwait(false);
            var read = await connection.ReadFrameAsync(ControlFrame.MaxReplyBytes, deadline.Token).ConfigureAwait(false);
            return read is ControlFrameRead.Frame frame
                ? ControlReply.Parse(frame.Payload)
                : throw new ControlUnreachableException(path, "the server closed the connection without replying");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new ControlUnreachableException(path, $"no reply within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (SocketException ex)
        {
            throw new ControlUnreachableException(path, ex.Message);
        }
    }

    // The socket layer's messages mislead here: a missing file is reported as "Cannot assign requested address".
    private static string WhyNotConnected(string path, SocketException failure) =>
        !File.Exists(path) ? "no such socket"
        : failure.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "nothing listens there (the socket file of a server that is gone)",
            SocketError.AccessDenied => "permission denied (see the server's --control-socket-mode)",
            _ => failure.Message,
        };
}

/// <summary>The control socket did not answer; the message names the path and why.</summary>
internal sealed class ControlUnreachableException : Exception
{
    public ControlUnreachableException(string path, string reason)
        : base($"cannot reach the server at '{path}': {reason}")
    {
        Path = path;
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }
}
