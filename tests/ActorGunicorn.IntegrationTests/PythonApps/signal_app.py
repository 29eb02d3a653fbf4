"""An application that tries to take SIGTERM from the server at import time."""

import os
import signal
import sys


def _on_term(signum, frame):
    print("the application's SIGTERM handler ran", file=sys.stderr, flush=True)
    os._exit(17)


signal.signal(signal.SIGTERM, _on_term)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"signal handler installed"]
