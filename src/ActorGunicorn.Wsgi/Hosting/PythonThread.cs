using System.Diagnostics;
using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// One thread's life in Python. It is primed once (it keeps its Python thread state for as long as it runs: an
/// unprimed thread would build and tear down a thread state, frame stack and thread-locals on every call), and it
/// keeps the GIL across back-to-back requests, releasing it when told the thread is idle, before blocking I/O, and
/// after a bounded streak so the application's own threads get their turn.
/// </summary>
/// <remarks>Every method runs on the owning thread.</remarks>
internal sealed unsafe class PythonThread
{
    // Like CPython's switch interval: the longest the thread keeps the GIL across requests.
    private static readonly long MaxGilStreak = Stopwatch.Frequency / 200;

    // The exchange buffers a body this small without I/O, so writing it cannot block while the GIL is held.
    private const int MaxBodyWrittenWithGil = 16 * 1024;

    private readonly WsgiHandler _handler;
    private readonly int _readAheadLimit;
    private readonly PythonStacks _stacks;
    private byte[] _environ = new byte[2048];
    private byte[] _body = new byte[4096];
    private nint _threadState;
    private bool _holdingGil;
    private long _gilTakenAt;

    public PythonThread(WsgiHandler handler, int readAheadLimit, PythonStacks stacks)
    {
        _handler = handler;
        _readAheadLimit = readAheadLimit;
        _stacks = stacks;
    }

    private enum Outcome
    {
        Response = 0,
        Streamed = 1,
        Failed = 2,
    }

    /// <summary>Gives the calling thread its Python thread state, without the GIL.</summary>
    public void Prime()
    {
        CPython.PyGILState_Ensure();
        _threadState = CPython.PyEval_SaveThread();
        _stacks.Register(_threadState);
    }

    /// <summary>Deletes the thread state (the counter goes from 1 to 0) and releases the GIL.</summary>
    public void Unprime()
    {
        _stacks.Unregister();
        TakeGil();
        CPython.PyGILState_Release(CPython.GilStateUnlocked);
        _holdingGil = false;
    }

    /// <summary>
    /// Runs one request. With <paramref name="keepGil"/> the GIL stays taken afterwards (for a request that is
    /// already waiting, or until the thread reports itself idle) unless the send ahead could block.
    /// </summary>
    public void Invoke(WsgiCall call, bool keepGil)
    {
        if (_holdingGil && Stopwatch.GetTimestamp() - _gilTakenAt > MaxGilStreak)
        {
            ReleaseGil();
        }

        try
        {
            InvokeCore(call, keepGil);
        }
        catch (Exception ex)
        {
            HostCallbacks.Current = null;
            call.Fail(ex);
        }
    }

    private void InvokeCore(WsgiCall call, bool keepGil)
    {
        var request = call.Request;
        int environLength = EnvironBlob.Write(request, _handler.ScriptName, ref _environ);
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
            result = CPython.Call(_handler.Handle, [environBytes, bodyBytes, streamedFlag]);
            CPython.Py_DecRef(environBytes);
            CPython.Py_DecRef(bodyBytes);
            CPython.Py_DecRef(streamedFlag);
        }

        HostCallbacks.Current = null;
        var (outcome, failure, responseLength) = ReadResult(result, call.Response);

        if (!keepGil || responseLength > MaxBodyWrittenWithGil)
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

    public void ReleaseGil()
    {
        if (_holdingGil)
        {
            _threadState = CPython.PyEval_SaveThread();
            _holdingGil = false;
        }
    }
}
