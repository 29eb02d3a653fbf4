"""GET 10 KB: the bench app for a response body larger than one small write.

Every path answers 200 with 10,240 bytes of text/plain and a Content-Length, built once at import.
Serve it like any WSGI module: ``actorgunicorn --chdir bench/apps get_10k`` (or gunicorn, uWSGI, waitress).
"""

BODY = b"x" * 10240
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", list(HEADERS))
    return [BODY]
