"""An application whose requests get stuck in the ways the timeout tests need.

    /pid                       the worker's pid
    /sleep_in_python?s=N       sleeps N seconds in Python code (time.sleep releases the GIL), in a function whose
                               name the tests look for in the logged stack
    /sleep_holding_gil?s=N     sleeps N seconds in C with the GIL held (ctypes.PyDLL keeps it), as a stuck C
                               extension would
    /ignore_abort_and_hang     makes the process ignore SIGABRT (as C code may), then hangs in C holding the GIL:
                               only SIGKILL ends it
"""

import ctypes
import os
import time
from urllib.parse import parse_qs

_SIGABRT = 6
_SIG_IGN = 1

# ctypes.PyDLL calls C with the GIL held; ctypes.CDLL would release it.
_libc_holding_gil = ctypes.PyDLL(None)


def _seconds(environ):
    return float(parse_qs(environ.get("QUERY_STRING", "")).get("s", ["30"])[0])


def _text(start_response, text):
    body = text.encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def sleepy_request_handler(seconds):
    time.sleep(seconds)


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/pid":
        return _text(start_response, str(os.getpid()))
    if path == "/sleep_in_python":
        sleepy_request_handler(_seconds(environ))
        return _text(start_response, "slept")
    if path == "/sleep_holding_gil":
        _libc_holding_gil.sleep(int(_seconds(environ)))
        return _text(start_response, "slept holding the GIL")
    if path == "/ignore_abort_and_hang":
        _libc_holding_gil.signal(_SIGABRT, ctypes.c_void_p(_SIG_IGN))
        _libc_holding_gil.pause()
        return _text(start_response, "unreachable")
    return _text(start_response, "ok")
