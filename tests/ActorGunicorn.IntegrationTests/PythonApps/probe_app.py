"""A plain WSGI application that shows the integration tests what the server does, route by route.

Every route is served through ``validated:wrap('probe_app:application')``. Any path no route claims answers with
the environ as JSON, so the tests can send odd paths (percent-encodings, a SCRIPT_NAME prefix) and read back what
the application saw.
"""

import hashlib
import json
import os
import sys
import threading
import time
from urllib.parse import parse_qs

JSON = [("Content-Type", "application/json")]
TEXT = [("Content-Type", "text/plain")]

# Results of /counted, and how often the server closed them (PEP 3333: close() exactly once per result).
_counts_lock = threading.Lock()
_counts = {"created": 0, "closed": 0, "closed_twice": 0}


def _query(environ):
    return {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}


def _json(start_response, value, status="200 OK"):
    body = json.dumps(value).encode("ascii")
    start_response(status, JSON + [("Content-Length", str(len(body)))])
    return [body]


def _text(start_response, text, status="200 OK"):
    body = text.encode("utf-8")
    start_response(status, TEXT + [("Content-Length", str(len(body)))])
    return [body]


def environ_report(environ, start_response):
    """The CGI variables (every str value) and the wsgi.* flags the tests check."""
    report = {key: value for key, value in environ.items() if type(value) is str}
    for key in ("wsgi.version", "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once", "wsgi.input_terminated"):
        report[key] = environ.get(key)
    return _json(start_response, report)


class Counted:
    """A result iterable that counts its close() calls."""

    def __init__(self, blocks):
        self._blocks = iter(blocks)
        self._closed = False
        with _counts_lock:
            _counts["created"] += 1

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._blocks)

    def close(self):
        with _counts_lock:
            if self._closed:
                _counts["closed_twice"] += 1
            else:
                _counts["closed"] += 1
        self._closed = True


def counted(environ, start_response):
    """?mode=list | generator | write | raise-after-first-block | raise-before-first-block"""
    mode = _query(environ).get("mode", "list")
    write = start_response("200 OK", list(TEXT))
    if mode == "write":
        write(b"written, ")
        return Counted([b"then returned"])
    if mode == "generator":
        return Counted(block for block in [b"one, ", b"two"])

    def failing(after_first):
        if after_first:
            yield b"first block"
        raise RuntimeError("counted result failed on purpose")

    if mode == "raise-after-first-block":
        return Counted(failing(True))
    if mode == "raise-before-first-block":
        return Counted(failing(False))
    return Counted([b"a list"])


def counts(environ, start_response):
    with _counts_lock:
        return _json(start_response, dict(_counts))


def exc_info_before_sending(environ, start_response):
    """Starts a 200, then an error replaces it through exc_info before a byte is sent."""
    start_response("200 OK", list(TEXT))
    try:
        raise ValueError("replaced before sending")
    except ValueError:
        start_response("500 Internal Server Error", TEXT + [("X-Replaced", "yes")], sys.exc_info())
    return [b"the error page"]


def exc_info_after_sending(environ, start_response):
    """Sends a block, then calls start_response with exc_info: PEP 3333 says it must re-raise."""
    write = start_response("200 OK", list(TEXT))
    write(b"already sent")
    try:
        raise ValueError("too late to replace the response")
    except ValueError:
        start_response("500 Internal Server Error", list(TEXT), sys.exc_info())
    return [b"never sent"]


def write_callable(environ, start_response):
    write = start_response("200 OK", list(TEXT))
    write(b"written ")
    write(b"twice, ")
    return [b"then returned"]


def read_input(environ, start_response):
    """Reads wsgi.input the way ?how= says and describes what came back."""
    query = _query(environ)
    how = query.get("how", "read")
    size = int(query.get("size", "1000"))
    stream = environ["wsgi.input"]
    pieces = []
    if how == "read":
        while True:
            piece = stream.read(size)
            if not piece:
                break
            pieces.append(piece)
    elif how == "readline":
        while True:
            piece = stream.readline()
            if not piece:
                break
            pieces.append(piece)
    elif how == "readline-sized":
        while True:
            piece = stream.readline(size)
            if not piece:
                break
            pieces.append(piece)
    elif how == "readlines":
        pieces = stream.readlines()
    elif how == "iterate":
        pieces = [line for line in stream]
    body = b"".join(pieces)
    return _json(start_response, {
        "how": how,
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "pieces": len(pieces),
        "longest": max((len(p) for p in pieces), default=0),
        "pieces_ending_in_newline": sum(1 for p in pieces if p.endswith(b"\n")),
        "newlines": body.count(b"\n"),
    })


def input_error(environ, start_response):
    """Reads wsgi.input to its end; what reading raises is written to wsgi.errors as "wsgi.input raised NAME
    (BASES): MESSAGE", then ?then=raise lets it propagate and ?then=respond answers 200 as if nothing happened."""
    try:
        while environ["wsgi.input"].read(4096):
            pass
    except OSError as error:
        bases = ", ".join(base.__name__ for base in type(error).__mro__[1:-2])
        environ["wsgi.errors"].write("wsgi.input raised %s (%s): %s\n" % (type(error).__name__, bases, error))
        environ["wsgi.errors"].flush()
        if _query(environ).get("then") == "raise":
            raise
    return _text(start_response, "the body was read")


def errors(environ, start_response):
    marker = _query(environ).get("marker", "")
    environ["wsgi.errors"].write("wsgi.errors write %s\n" % marker)
    environ["wsgi.errors"].writelines(["wsgi.errors writelines %s\n" % marker])
    environ["wsgi.errors"].flush()
    return _text(start_response, "logged")


def stream_until(environ, start_response):
    """Yields a first block, then waits (up to 20 s) for the marker file before the second."""
    marker = _query(environ)["marker"]
    start_response("200 OK", list(TEXT))

    def blocks():
        yield b"first block\n"
        deadline = time.monotonic() + 20
        while not os.path.exists(marker):
            if time.monotonic() > deadline:
                yield b"gave up waiting for the marker\n"
                return
            time.sleep(0.01)
        yield b"second block\n"

    return blocks()


def wait_then_answer(environ, start_response):
    """Says on wsgi.errors that it waits, waits (up to 20 s) for the marker file, then streams 4 MiB in 64 KiB
    blocks, or with ?small=1 answers a few bytes with a Content-Length: a client can leave while its request is in the
    application, and the server then writes to it."""
    query = _query(environ)
    marker = query["marker"]
    environ["wsgi.errors"].write("waiting for %s\n" % marker)
    environ["wsgi.errors"].flush()
    deadline = time.monotonic() + 20
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)
    if query.get("small"):
        return _text(start_response, "answered late")
    start_response("200 OK", list(TEXT))
    block = b"x" * 65536
    return (block for _ in range(64))


def raise_error(environ, start_response):
    raise RuntimeError("the probe application failed on purpose")


def system_exit(environ, start_response):
    raise SystemExit(3)


def raise_after_first_block(environ, start_response):
    start_response("200 OK", list(TEXT))

    def blocks():
        yield b"the first block"
        raise RuntimeError("the body failed after the first block")

    return blocks()


def echo(environ, start_response):
    # A thread switch between reading the request and answering gives a server that mixed up requests across its
    # Python threads every chance to show it.
    request_id = _query(environ).get("id", "")
    time.sleep(0)
    return _text(start_response, "id=%s thread=%d" % (request_id, threading.get_ident()))


def status(environ, start_response):
    """?code=N answers status N with no body and no Content-Length (a 3xx with a Location), as frameworks answer
    redirects and conditional requests."""
    code = int(_query(environ).get("code", "204"))
    # wsgiref.validate wants a Content-Type on everything but 204 and 304.
    headers = [] if code in (204, 304) else list(TEXT)
    if 300 <= code < 400 and code != 304:
        headers.append(("Location", "/"))
    start_response("%d Status" % code, headers)
    return []


def pid(environ, start_response):
    return _text(start_response, str(os.getpid()))


def sleep(environ, start_response):
    # A request that takes a while (GET /sleep?s=0.2), so that a stop or a reload always finds some in flight. With
    # ?say=1 it first writes "sleeping in PID" to the error log, so a test knows which worker is busy.
    query = _query(environ)
    if query.get("say"):
        environ["wsgi.errors"].write("sleeping in %d\n" % os.getpid())
        environ["wsgi.errors"].flush()
    time.sleep(float(query.get("s", "0")))
    return _text(start_response, str(os.getpid()))


ROUTES = {
    "/counted": counted,
    "/counts": counts,
    "/exc-info-before-sending": exc_info_before_sending,
    "/exc-info-after-sending": exc_info_after_sending,
    "/write": write_callable,
    "/input": read_input,
    "/input-error": input_error,
    "/errors": errors,
    "/stream-until": stream_until,
    "/wait-then-answer": wait_then_answer,
    "/raise": raise_error,
    "/exit": system_exit,
    "/raise-after-first-block": raise_after_first_block,
    "/echo": echo,
    "/pid": pid,
    "/sleep": sleep,
    "/status": status,
}


def application(environ, start_response):
    return ROUTES.get(environ.get("PATH_INFO", ""), environ_report)(environ, start_response)
