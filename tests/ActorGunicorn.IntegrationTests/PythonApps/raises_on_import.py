"""An application module whose import fails: the worker cannot boot (exit 3, traceback in the log)."""


def connect():
    raise RuntimeError("the database is unreachable at import time")


connect()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"never served"]
