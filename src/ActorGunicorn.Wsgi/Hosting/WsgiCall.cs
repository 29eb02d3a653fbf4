using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Tasks.Sources;
using ActorGunicorn.Gateway;
using Microsoft.Win32.SafeHandles;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// One request on its way through a Python thread, and the task its invoker awaits. Pooled: the object returns to
/// the pool when the awaiter has read the result.
/// </summary>
/// <remarks>
/// The completion runs its continuation inline on the Python thread (the invoker's continuation only finishes the
/// response and tells the connection), which saves a thread hop per request.
/// </remarks>
internal sealed class WsgiCall : IValueTaskSource
{
    private static readonly ConcurrentBag<WsgiCall> s_pool = [];

    private ManualResetValueTaskSourceCore<bool> _completion;

    // What made the last body read fail, for the shim's exception message.
    private Exception? _readFailure;

    private WsgiCall()
    {
    }

    public IGatewayRequest Request { get; private set; } = null!;

    public IGatewayResponse Response { get; private set; } = null!;

    /// <summary>What went wrong on the host's side (the connection, the request body) while Python ran.</summary>
    public Exception? HostFailure { get; private set; }

    /// <summary>The task the invoker awaits.</summary>
    public ValueTask Task => new(this, _completion.Version);

    public static WsgiCall Rent(IGatewayRequest request, IGatewayResponse response)
    {
        if (!s_pool.TryTake(out var call))
        {
            call = new WsgiCall();
        }

        call.Request = request;
        call.Response = response;
        return call;
    }

    public void Succeed() => _completion.SetResult(true);

    public void Fail(Exception error) => _completion.SetException(HostFailure ?? error);

    public void GetResult(short token)
    {
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            _completion.Reset();
            Request = null!;
            Response = null!;
            HostFailure = null;
            _readFailure = null;
            s_pool.Add(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Reads request body bytes for <c>wsgi.input</c>: the count, 0 at the end; on failure -1 (the connection
    /// failed), -2 (the body's framing is broken) or -3 (the body was refused otherwise: too large, too slow), so the
    /// shim raises an exception that says which, with <see cref="FailureMessage"/>.
    /// </summary>
    public nint ReadBody(Span<byte> destination)
    {
        try
        {
            return Request.Body.Read(destination);
        }
        catch (Exception ex)
        {
            HostFailure ??= ex;
            _readFailure = ex;
            return ex switch
            {
                RequestBodyException { StatusCode: 400 } => -2,
                RequestBodyException => -3,
                _ => -1,
            };
        }
    }

    /// <summary>Copies the message of what failed the last body read (UTF-8, cut to fit) into <paramref name="destination"/>: the byte count.</summary>
    public int FailureMessage(Span<byte> destination)
    {
        string message = _readFailure?.Message ?? string.Empty;
        return Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, destination.Length / 3)), destination);
    }

    /// <summary>Applies the head (when given) and sends body bytes now: 0, or -1 on failure.</summary>
    public int Send(ReadOnlySpan<byte> head, ReadOnlySpan<byte> data, bool flush)
    {
        try
        {
            if (!head.IsEmpty)
            {
                ResponseHead.Apply(head, Response);
            }

            if (!data.IsEmpty)
            {
                var copy = ArrayPool<byte>.Shared.Rent(data.Length);
                try
                {
                    data.CopyTo(copy);
                    Wait(Response.WriteAsync(copy.AsMemory(0, data.Length)));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }

            if (flush)
            {
                Wait(Response.FlushAsync());
            }

            return 0;
        }
        catch (Exception ex)
        {
            HostFailure ??= ex;
            return -1;
        }
    }

    /// <summary>Applies the head and sends a file region with sendfile(2): the bytes sent, or -1 on failure.</summary>
    public long SendFile(ReadOnlySpan<byte> head, int fd, long offset, long count)
    {
        try
        {
            ResponseHead.Apply(head, Response);
            using var file = new SafeFileHandle(fd, ownsHandle: false);
            var sending = Response.SendFileAsync(file, offset, count);
            return sending.IsCompletedSuccessfully ? sending.Result : sending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            HostFailure ??= ex;
            return -1;
        }
    }

    /// <summary>Blocks this (dedicated) thread until a write completes: WSGI is synchronous.</summary>
    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return;
        }

        pending.AsTask().GetAwaiter().GetResult();
    }
}
