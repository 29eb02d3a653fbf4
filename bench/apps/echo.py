"""POST echo: the bench app for request bodies. It reads the whole body and sends it back.

The body is read by its Content-Length (every load generator of the suite sends one), so servers that buffer the
body and servers that stream it are both exercised the way an application reading ``wsgi.input`` would. A GET (the
suite's readiness probe) gets an empty 200.
"""


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    start_response("200 OK", [
        ("Content-Type", environ.get("CONTENT_TYPE") or "application/octet-stream"),
        ("Content-Length", str(len(body))),
    ])
    return [body]
