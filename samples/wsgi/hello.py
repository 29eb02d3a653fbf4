"""The smallest useful WSGI application: the benchmark app.

Run it with ``actorgunicorn --chdir samples/wsgi hello`` (or ``gunicorn hello``);
a module name alone resolves to its ``application`` callable.
"""

# Encoded once at import time; every path answers, as in gunicorn's own example app.
BODY = b"Hello, World!"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    # A fresh list each time: a server or middleware may append to the one it is given.
    start_response("200 OK", list(HEADERS))
    return [BODY]


# Flask-style name, so ``hello:app`` works too.
app = application
