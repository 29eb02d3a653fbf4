"""An application whose import takes as long as SLOW_IMPORT_SECONDS says (default 60): a worker still booting.

Prints "importing slow_import_app" first, so that a test knows the worker is inside the import.
"""

import os
import sys
import time

print("importing slow_import_app", file=sys.stderr, flush=True)
time.sleep(float(os.environ.get("SLOW_IMPORT_SECONDS", "60")))


def application(environ, start_response):
    body = str(os.getpid()).encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
