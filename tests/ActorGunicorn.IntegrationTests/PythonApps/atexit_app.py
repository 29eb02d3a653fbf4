"""An application that registers an atexit handler: it runs when the worker finalises Python."""

import atexit
import os


def _goodbye():
    print("atexit handler ran in process %d" % os.getpid(), flush=True)


atexit.register(_goodbye)


def application(environ, start_response):
    body = str(os.getpid()).encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
