"""Shows what the application's process looked like when it was imported.

It lives in a folder of its own, which the tests make the working directory with --chdir: nothing else puts it
on sys.path. The helper it imports is only on the path through --pythonpath.
"""

import json
import os
import sys

import helper_on_pythonpath

# Read once, at import time, as settings modules do.
AT_IMPORT = {
    "env_value": os.environ.get("ACTORGUNICORN_TEST_SETTING"),
    "cwd": os.getcwd(),
    "sys_path": sys.path[:4],
    "helper": helper_on_pythonpath.__file__,
    "helper_value": helper_on_pythonpath.VALUE,
    "module": __file__,
}


def application(environ, start_response):
    body = json.dumps(AT_IMPORT).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
