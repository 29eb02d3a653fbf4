using System.Diagnostics;
using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// A dedicated thread that runs requests in Python. It is primed once (it keeps its Python thread state for its
/// whole life: an unprimed thread would build and tear down a thread state, frame stack and thread-locals on every
/// call), and it keeps the GIL across back-to-back requests, releasing it when idle, before blocking I/O, and after
/// a bounded streak so the application's own threads get their turn.
/// </summary>
internal sealed unsafe class PythonRequestThread
{
    // Like CPython's switch interval: the longest the thread keeps the GIL across requests.
    private static readonly long MaxGilStreak = Stopwatch.Frequency / 200;

    private readonly RequestQueue _queue;
    private readonly nint _handler;
    private readonly int _readAheadLimit;
    private readonly Thread _thread;
    private byte[] _environ = new byte[2048];
    private byte[] _body = new byte[4096];
    private nint _threadState;
    private bool _holdingGil;
    private long _gilTakenAt;

    public PythonRequestThread(int index, RequestQueue queue, nint handler, int readAheadLimit)
    {
        _queue = queue;
        _handler = handler;
        _readAheadLimit = readAheadLimit;
        _thread = new Thread(Run) { Name = $"python-request-{index}", IsBackground = true };
    }

    private enum Outcome
    {
        Response = 0,
        Streamed = 1,
        Failed = 2,
    }

    public void Start() => _thread.Start();

    public void Join() => _thread.Join();

    private void Run()
    {
        CPython.PyGILState_Ensure();
        _threadState = CPython.PyEval_SaveThread();
        try
        {
            while (NextCall(out var call))
            {
                try
                {
                    Invoke(call);
                }
                catch (Exception ex)
                {
                    HostCallbacks.Current = null;
                    call.Fail(ex);
                }
            }
        }
        finally
        {
            TakeGil();
            // The counter goes from 1 to 0: CPython deletes the thread state and releases the GIL.
            CPython.PyGILState_Release(CPython.GilStateUnlocked);
        }
    }

    private bool NextCall(out WsgiCall call)
    {
        if (_queue.TryTake(out call))
        {
            if (_holdingGil && Stopwatch.GetTimestamp() - _gilTakenAt > MaxGilStreak)
            {
                ReleaseGil();
            }

            return true;
        }

        ReleaseGil();
        return _queue.Take(out call);
    }

    private void Invoke(WsgiCall call)
    {
        var request = call.Request;
        int environLength = EnvironBlob.Write(request, ref _environ);
        long bodyLength = BodyToReadAhead(request, out bool streamed);
        if (bodyLength > 0)
        {
            // Reading may wait for the client: never with the GIL.
            ReleaseGil();
            ReadBody(request.Body, (int)bodyLength);
        }

        TakeGil();
        HostCallbacks.Current = call;
        nint result;
        fixed (byte* environ = _environ)
        fixed (byte* body = _body)
        {
            nint environBytes = CPython.PyBytes_FromStringAndSize(environ, environLength);
            nint bodyBytes = bodyLength > 0 ? CPython.PyBytes_FromStringAndSize(body, (nint)bodyLength) : CPython.NewNone();
            nint streamedFlag = CPython.NewBool(streamed);
            result = CPython.Call(_handler, [environBytes, bodyBytes, streamedFlag]);
            CPython.Py_DecRef(environBytes);
            CPython.Py_DecRef(bodyBytes);
            CPython.Py_DecRef(streamedFlag);
        }

        HostCallbacks.Current = null;
        var (outcome, failure, responseLength) = ReadResult(result, call.Response);

        // Keep the GIL only when the next request is already waiting and the send below cannot block for long.
        if (!_queue.HasWaiting || responseLength > _readAheadLimit)
        {
            ReleaseGil();
        }

        if (failure is not null || call.HostFailure is not null)
        {
            call.Fail(failure ?? call.HostFailure!);
            return;
        }

        if (outcome == Outcome.Response && responseLength > 0)
        {
            WsgiCall.Wait(call.Response.WriteAsync(_body.AsMemory(0, responseLength)));
        }

        call.Succeed();
    }

    private long BodyToReadAhead(IGatewayRequest request, out bool streamed)
    {
        streamed = false;
        if (request.ContentLength is long length)
        {
            if (length == 0)
            {
                return 0;
            }

            streamed = length > _readAheadLimit;
            return streamed ? 0 : length;
        }

        // No Content-Length: chunked (streamed) or no body at all.
        streamed = request.Headers.Contains("Transfer-Encoding");
        return 0;
    }

    private void ReadBody(Stream body, int length)
    {
        if (_body.Length < length)
        {
            _body = new byte[Math.Max(length, _body.Length * 2)];
        }

        int read = 0;
        while (read < length)
        {
            int n = body.Read(_body, read, length - read);
            if (n == 0)
            {
                throw new IOException("The client closed the connection before sending the whole request body.");
            }

            read += n;
        }
    }

    // Copies a complete response out of Python; the returned length is the body's, now in _body.
    private (Outcome Outcome, Exception? Failure, int BodyLength) ReadResult(nint result, IGatewayResponse response)
    {
        if (result == 0)
        {
            return (Outcome.Failed, PythonErrors.Fetch("The WSGI gateway"), 0);
        }

        try
        {
            var outcome = (Outcome)CPython.PyLong_AsLongLong(CPython.PyTuple_GetItem(result, 0));
            switch (outcome)
            {
                case Outcome.Response:
                    ResponseHead.Apply(BytesOf(CPython.PyTuple_GetItem(result, 1)), response);
                    var body = BytesOf(CPython.PyTuple_GetItem(result, 2));
                    if (_body.Length < body.Length)
                    {
                        _body = new byte[Math.Max(body.Length, _body.Length * 2)];
                    }

                    body.CopyTo(_body);
                    return (outcome, null, body.Length);
                case Outcome.Streamed:
                    return (outcome, null, 0);
                default:
                    string traceback = CPython.ReadString(CPython.PyTuple_GetItem(result, 1)) ?? "(no traceback)";
                    return (Outcome.Failed, new PythonException(traceback), 0);
            }
        }
        catch (FormatException ex)
        {
            return (Outcome.Failed, ex, 0);
        }
        finally
        {
            CPython.Py_DecRef(result);
        }
    }

    // A borrowed bytes object's contents; valid while the owner is alive and the GIL held.
    private static ReadOnlySpan<byte> BytesOf(nint bytes)
    {
        byte* data;
        nint length;
        if (CPython.PyBytes_AsStringAndSize(bytes, &data, &length) < 0)
        {
            CPython.PyErr_Clear();
            return [];
        }

        return new ReadOnlySpan<byte>(data, (int)length);
    }

    private void TakeGil()
    {
        if (!_holdingGil)
        {
            CPython.PyEval_RestoreThread(_threadState);
            _holdingGil = true;
            _gilTakenAt = Stopwatch.GetTimestamp();
        }
    }

    private void ReleaseGil()
    {
        if (_holdingGil)
        {
            _threadState = CPython.PyEval_SaveThread();
            _holdingGil = false;
        }
    }
}
