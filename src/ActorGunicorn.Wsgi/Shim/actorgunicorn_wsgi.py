"""The Python half of ActorGunicorn's WSGI gateway (PEP 3333).

The .NET worker embeds CPython and calls ``Handler.__call__`` once per request on one of its dedicated Python
threads. Everything PEP 3333 says about the application's side of the contract lives here: the environ,
start_response with exc_info, the write() callable, iterating the result and closing it exactly once,
wsgi.input and wsgi.file_wrapper. The host contributes five C functions (bound with ctypes, which releases the GIL
around each call, so the host can block on the socket without stalling other Python threads):

    read(buffer, size) -> n          request body bytes; 0 at the end; -1 when the connection failed, -2 when the
                                     body's framing is broken, -3 when the server refused the body otherwise
    write(head, n, data, n, flush)   the status and headers (once, before the first body bytes) and body bytes
    sendfile(head, n, fd, offset, count) -> sent    a file region with sendfile(2), headers first
    log(level, message, n)           a line in the server's error log
    failure(buffer, size) -> n       the host's message (UTF-8) for the read that just failed on this thread

A head is ``status NUL name NUL value NUL ...`` in latin-1, the WSGI "native string" encoding.
"""

import ast
import ctypes
import importlib
import io
import os
import signal
import sys
import traceback

# What __call__ returns to the host.
RESPONSE = 0  # (RESPONSE, head, body): a complete response the host sends with a Content-Length
STREAMED = 1  # (STREAMED, None, None): the response went out through write(); the host only finishes it
FAILED = 2  # (FAILED, traceback, None): the application raised; a 500, or an abort once headers are out

_LOG_WARNING = 3
_LOG_ERROR = 4

# Signals the arbiter and the worker use. An application that installs a handler for one of them would silently
# take it from the server (the handler never runs: no Python thread is the main thread after boot).
_SERVER_SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGTTIN",
                   "SIGTTOU", "SIGCHLD", "SIGABRT", "SIGPIPE")


class AppImportError(Exception):
    """APP names nothing usable (gunicorn's AppImportError: the worker exits 4)."""


class _Host:
    """The host's C functions."""

    def __init__(self, read, write, sendfile, log, failure):
        self.read = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_ssize_t)(read)
        self.write = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_ssize_t, ctypes.c_char_p,
                                      ctypes.c_ssize_t, ctypes.c_int)(write)
        # 0 when sendfile is off (--no-sendfile): file_wrapper responses are then iterated in blocks.
        self.sendfile = ctypes.CFUNCTYPE(ctypes.c_longlong, ctypes.c_char_p, ctypes.c_ssize_t, ctypes.c_int,
                                         ctypes.c_longlong, ctypes.c_longlong)(sendfile) if sendfile else None
        self._log = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_ssize_t)(log)
        self._failure = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_ssize_t)(failure)

    def log(self, level, message):
        data = message.encode("utf-8", "replace")
        self._log(level, data, len(data))

    def failure(self):
        """The host's message for the read that just failed on this thread."""
        buffer = ctypes.create_string_buffer(1024)
        length = self._failure(buffer, len(buffer))
        return buffer.raw[:length].decode("utf-8", "replace")


class ClientDisconnected(OSError):
    """The client's connection failed while the request was served; the server closes it."""


class RequestBodyRefused(OSError):
    """wsgi.input: the server refused the request body (str() says why: too large, too slow to arrive, or broken
    framing). The server answers the client itself (413, 408 or 400) and closes the connection, whatever the
    application returns after catching it."""


class InvalidBodyFraming(RequestBodyRefused):
    """wsgi.input: the request body's chunked framing is broken (a bad chunk size or chunk extension, chunk data not
    followed by CRLF, a malformed trailer, a body cut short inside a chunk): where gunicorn raises InvalidChunkSize,
    ChunkMissingTerminator or InvalidChunkExtension. The server answers the client 400 and closes the connection."""


# What a failed host read returned, and what the application sees for it.
_READ_FAILURES = {-1: ClientDisconnected, -2: InvalidBodyFraming, -3: RequestBodyRefused}


class FileWrapper:
    """wsgi.file_wrapper: the host sends a real file with sendfile(2); anything else is iterated in blocks."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, "close"):
            self.close = filelike.close

    def __getitem__(self, key):
        # The pre-iterator protocol, which PEP 3333's example wrapper and older servers use.
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise IndexError

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


class ErrorStream:
    """wsgi.errors: text for the server's error log (standard error, or the --log-file it points at)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        self._stream.write(text)

    def writelines(self, lines):
        self._stream.writelines(lines)

    def flush(self):
        self._stream.flush()


class StreamedInput:
    """wsgi.input for bodies too large to read ahead, or chunked: read from the socket as the application asks."""

    _BLOCK = 65536

    def __init__(self, host):
        self._host = host
        self._buffer = bytearray()
        self._done = False
        self._scratch = None

    def _receive(self, size):
        """At most `size` bytes from the host; b"" at the end of the body."""
        if self._done:
            return b""
        size = max(1, min(size, self._BLOCK))
        if self._scratch is None:
            self._scratch = ctypes.create_string_buffer(self._BLOCK)
        received = self._host.read(self._scratch, size)
        if received < 0:
            self._done = True
            failure = _READ_FAILURES.get(received, ClientDisconnected)
            raise failure(self._host.failure() or "the request body could not be read")
        if received == 0:
            self._done = True
            return b""
        return ctypes.string_at(self._scratch, received)

    def _take(self, size):
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            while True:
                data = self._receive(self._BLOCK)
                if not data:
                    return self._take(len(self._buffer))
                self._buffer += data
        if not self._buffer:
            data = self._receive(size)
            if len(data) == size or not data:
                return data
            self._buffer += data
        while len(self._buffer) < size:
            data = self._receive(size - len(self._buffer))
            if not data:
                break
            self._buffer += data
        return self._take(size)

    def readline(self, size=-1):
        limit = size if size is not None and size >= 0 else sys.maxsize
        start = 0
        while True:
            end = self._buffer.find(b"\n", start, limit)
            if end >= 0:
                return self._take(end + 1)
            if len(self._buffer) >= limit:
                return self._take(limit)
            start = len(self._buffer)
            data = self._receive(self._BLOCK)
            if not data:
                return self._take(len(self._buffer))
            self._buffer += data

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class _Response:
    """One request's start_response state."""

    __slots__ = ("status", "headers", "head_sent", "_host_write")

    def __init__(self, host_write):
        self.status = None
        self.headers = None
        self.head_sent = False
        self._host_write = host_write

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.head_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() was already called")
        if type(status) is not str:
            raise TypeError("status must be a str, not %s" % type(status).__name__)
        if type(headers) is not list:
            raise TypeError("headers must be a list, not %s" % type(headers).__name__)
        for header in headers:
            if type(header) is not tuple or len(header) != 2:
                raise TypeError("each header must be a (name, value) tuple, not %r" % (header,))
            if type(header[0]) is not str or type(header[1]) is not str:
                raise TypeError("header names and values must be str: %r" % (header,))
        self.status = status
        self.headers = headers
        return self.write

    def head(self):
        if self.status is None:
            raise AssertionError("the application did not call start_response()")
        fields = [self.status]
        for name, value in self.headers:
            fields.append(name)
            fields.append(value)
        return "\0".join(fields).encode("latin-1")

    def content_length(self):
        for name, value in self.headers:
            if name.lower() == "content-length":
                try:
                    return int(value)
                except ValueError:
                    return None
        return None

    def send(self, data, flush=True):
        """Sends body bytes now (PEP 3333: a server must not delay a block), with the head before the first."""
        if type(data) is not bytes:
            raise TypeError("the application must produce bytes, not %s" % type(data).__name__)
        if self.head_sent:
            if not data:
                return
            head = b""
        else:
            head = self.head()
        if self._host_write(head, len(head), data, len(data), 1 if flush else 0) < 0:
            raise ClientDisconnected("the client connection is closed")
        self.head_sent = True

    def write(self, data):
        """The legacy write() callable that start_response returns."""
        if self.status is None:
            raise AssertionError("write() before start_response()")
        self.send(data)


def _format_exception():
    return "".join(traceback.format_exception(*sys.exc_info()))


class Handler:
    """Calls one WSGI application for each request the host hands over."""

    def __init__(self, app, host, base_environ):
        self._app = app
        self._host = host
        self._base = base_environ
        # The host reads this once: it writes each request's SCRIPT_NAME and PATH_INFO (a trusted SCRIPT_NAME header
        # takes its place, and a path outside it is refused before the application runs, as in gunicorn).
        self.script_name = base_environ.get("SCRIPT_NAME", "")

    def __call__(self, blob, body, streamed):
        """Runs one request; `blob` is ``key NUL value NUL ...`` in latin-1, `body` the body read ahead (or None)."""
        environ = self._environ(blob, body, streamed)
        return self._run(environ, _Response(self._host.write))

    def _environ(self, blob, body, streamed):
        environ = self._base.copy()
        fields = iter(blob.decode("latin-1").split("\0"))
        environ.update(zip(fields, fields))
        if "PATH_INFO%" in environ:
            # The decoded path holds a NUL, which the blob cannot carry: decode it here.
            from urllib.parse import unquote_to_bytes
            environ["PATH_INFO"] = unquote_to_bytes(environ.pop("PATH_INFO%")).decode("latin-1")
        environ["wsgi.input"] = StreamedInput(self._host) if streamed else io.BytesIO(body or b"")
        return environ

    def _run(self, environ, response):
        result = None
        try:
            result = self._app(environ, response.start_response)
            outcome = self._respond(response, result)
        except BaseException:
            # SystemExit and KeyboardInterrupt too: one request's exit() must not end the worker.
            outcome = (FAILED, _format_exception(), None)
        close = getattr(result, "close", None)
        if close is not None:
            try:
                close()
            except BaseException:
                if outcome[0] != FAILED:
                    outcome = (FAILED, _format_exception(), None)
        return outcome

    def _respond(self, response, result):
        if type(result) is list or type(result) is tuple:
            if response.head_sent:
                for chunk in result:
                    response.send(chunk)
                return (STREAMED, None, None)
            for chunk in result:
                if type(chunk) is not bytes:
                    raise TypeError("the application must produce bytes, not %s" % type(chunk).__name__)
            return (RESPONSE, response.head(), b"".join(result))
        if isinstance(result, FileWrapper) and response.status is not None and not response.head_sent:
            sent = self._send_file(response, result)
            if sent is not None:
                return sent
        return self._stream(response, result)

    def _stream(self, response, result):
        # A block that completes the announced Content-Length is the whole body: hold it, and if the iterator then
        # ends (as every well-behaved one does) the host sends head and body in one write.
        held = None
        for chunk in result:
            if type(chunk) is not bytes:
                raise TypeError("the application must produce bytes, not %s" % type(chunk).__name__)
            if held is not None:
                response.send(held)
                held = None
            if not response.head_sent and response.status is not None and len(chunk) == response.content_length():
                held = chunk
            elif chunk:
                response.send(chunk)
        if not response.head_sent:
            return (RESPONSE, response.head(), held if held is not None else b"")
        if held is not None:
            response.send(held)
        return (STREAMED, None, None)

    def _send_file(self, response, wrapper):
        if self._host.sendfile is None:
            return None
        try:
            fd = wrapper.filelike.fileno()
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return None
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        remaining = os.fstat(fd).st_size - offset
        declared = response.content_length()
        count = remaining if declared is None else min(declared, remaining)
        head = response.head()
        sent = self._host.sendfile(head, len(head), fd, offset, count)
        if sent < 0:
            raise ClientDisconnected("the client connection is closed")
        response.head_sent = True
        os.lseek(fd, offset + sent, os.SEEK_SET)
        return (STREAMED, None, None)


class HookedHandler(Handler):
    """A Handler that runs the configuration's pre_request and post_request hooks around each request.

    Chosen once at load, only when one of them is defined, so a server without request hooks pays nothing for them.
    As in gunicorn, an exception from pre_request fails the request (a 500), and post_request runs whatever happened,
    its own exception logged.
    """

    def __init__(self, app, host, base_environ, hooks):
        super().__init__(app, host, base_environ)
        self._hooks = hooks

    def __call__(self, blob, body, streamed):
        environ = self._environ(blob, body, streamed)
        response = _Response(self._host.write)
        hooks = self._hooks
        req = hooks_module().Request.from_environ(environ)
        try:
            if hooks.pre_request is not None:
                hooks.pre_request(hooks.worker, req)
        except BaseException:
            outcome = (FAILED, _format_exception(), None)
        else:
            outcome = self._run(environ, response)
        if hooks.post_request is not None:
            status = response.status if outcome[0] != FAILED or response.head_sent else "500 Internal Server Error"
            try:
                hooks.post_request(hooks.worker, req, environ,
                                   hooks_module().Response(status, list(response.headers or ())))
            except Exception:
                self._host.log(_LOG_ERROR, "Exception in post_request hook\n" + _format_exception().rstrip())
        return outcome


def hooks_module():
    """The hooks module, which the host imported before the application."""
    return sys.modules["actorgunicorn_hooks"]


def guard_signals(host):
    """Makes signal.signal refuse the server's signals, with a warning, instead of silently taking them."""
    guarded = {getattr(signal, name) for name in _SERVER_SIGNALS if hasattr(signal, name)}
    install = signal.signal

    def guarded_signal(signalnum, handler):
        if signalnum in guarded:
            host.log(_LOG_WARNING, "Ignoring signal.signal(%s, ...) from the application: the server handles %s"
                     % (signal.Signals(signalnum).name, signal.Signals(signalnum).name))
            return signal.getsignal(signalnum)
        return install(signalnum, handler)

    signal.signal = guarded_signal


def _parse_target(expression):
    """gunicorn's APP grammar after the colon: a name, or a call of a name with literal arguments."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        raise AppImportError("Failed to parse %r as an attribute name or function call." % expression) from None
    if isinstance(node, ast.Name):
        return node.id, None, None
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise AppImportError("Function reference must be a simple name: %r" % expression)
        try:
            args = [ast.literal_eval(argument) for argument in node.args]
            kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
        except ValueError:
            raise AppImportError("Failed to parse arguments as literal values: %r" % expression) from None
        return node.func.id, args, kwargs
    raise AppImportError("Failed to parse %r as an attribute name or function call." % expression)


def import_app(spec):
    """Resolves ``module``, ``module:name`` or ``module:factory(args)`` as gunicorn's import_app does."""
    module_name, colon, expression = spec.partition(":")
    if not colon:
        expression = "application"
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        if module_name.endswith(".py") and os.path.exists(module_name):
            raise ImportError("Failed to find application, did you mean '%s:%s'?"
                              % (module_name.rsplit(".", 1)[0], expression)) from None
        raise
    name, args, kwargs = _parse_target(expression)
    try:
        app = getattr(module, name)
    except AttributeError:
        raise AppImportError("Failed to find attribute %r in %r." % (name, module_name)) from None
    if args is not None:
        try:
            app = app(*args, **kwargs)
        except TypeError as error:
            if _called_with_wrong_arguments(app):
                raise AppImportError(str(error)) from None
            raise
    if app is None:
        raise AppImportError("Failed to find application object: %r" % expression)
    if not callable(app):
        raise AppImportError("Application object must be callable.")
    return app


def _called_with_wrong_arguments(function):
    """True when the TypeError came from calling `function` itself, not from inside it."""
    tb = sys.exc_info()[2]
    code = getattr(function, "__code__", None)
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return False
        tb = tb.tb_next
    return True


def load(spec, search_path, server_software, multithread, multiprocess, read, write, sendfile, log, failure,
         hooks=None):
    """Boots the gateway: guards the signals, extends sys.path, imports the application, returns its Handler.

    `hooks` is the configuration's Hooks object (actorgunicorn_hooks) when it defines request hooks, else None.
    """
    host = _Host(read, write, sendfile, log, failure)
    guard_signals(host)
    # Standard output is a pipe or a file, so Python would block-buffer it: an application's print() would show up
    # late and out of order with the server's own lines.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
    for entry in reversed([entry for entry in search_path.split("\0") if entry]):
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)
    app = import_app(spec)
    base_environ = {
        "wsgi.version": (1, 0),
        "wsgi.errors": ErrorStream(sys.stderr),
        "wsgi.multithread": multithread,
        "wsgi.multiprocess": multiprocess,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
        "wsgi.input_terminated": True,
        "SERVER_SOFTWARE": server_software,
        "SCRIPT_NAME": os.environ.get("SCRIPT_NAME", ""),
    }
    if hooks is not None and (hooks.pre_request is not None or hooks.post_request is not None):
        return HookedHandler(app, host, base_environ, hooks)
    return Handler(app, host, base_environ)


def describe(exc_type, exc_value, exc_traceback):
    """(type name, formatted traceback) for an exception the host fetched."""
    return (getattr(exc_type, "__name__", "Exception"),
            "".join(traceback.format_exception(exc_type, exc_value, exc_traceback)))
