"""A Flask sample covering what a WSGI server has to get right.

Run it from this directory with ``actorgunicorn app:app`` (or ``gunicorn app:app``).

Environment:
    FLASK_SECRET_KEY  signs the session cookie that carries the CSRF token.
    DOWNLOAD_DIR      the directory ``/download/<name>`` serves files from
                      (default: the ``downloads`` folder next to this file).
"""

import hashlib
import hmac
import os
import secrets

from flask import (
    Flask, Response, abort, jsonify, render_template, request, send_from_directory, session,
)

app = Flask(__name__)

# Development fallback only: anyone who knows this key can forge session cookies, so set
# FLASK_SECRET_KEY in production. It is fixed rather than random so that every worker process
# signs with the same key; a form served by one worker must validate on any other.
app.secret_key = os.environ.get("FLASK_SECRET_KEY", "dev-only-insecure-secret-key-change-me")

DOWNLOAD_DIR = os.environ.get(
    "DOWNLOAD_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "downloads")
)

# Big enough to keep the number of reads low, small enough that memory stays flat for any body size.
CHUNK_SIZE = 64 * 1024


def text(body, status=200):
    return Response(body, status=status, mimetype="text/plain")


@app.get("/")
def hello():
    return text("Hello, World!")


@app.get("/json")
def json_hello():
    return jsonify(message="Hello, World!", pid=os.getpid())


@app.get("/form")
def form():
    # One token per session, kept in Flask's signed cookie: a cross-site page can make the
    # browser send the cookie, but cannot read it to copy the token into the form.
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return render_template("form.html", csrf_token=session["csrf_token"])


@app.post("/form")
def submit_form():
    expected = session.get("csrf_token")
    submitted = request.form.get("csrf_token")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, and the
    # submitted value is whatever the client chose to send.
    if not (expected and submitted and hmac.compare_digest(expected.encode(), submitted.encode())):
        abort(400, description="CSRF token missing or incorrect.")
    return text(f"Hello, {request.form.get('name', '')}!")


@app.post("/upload")
def upload():
    # request.stream rather than request.data/get_data(): the body is hashed as it arrives instead
    # of being held in memory, so a 100 MB upload costs 64 KiB. A chunked body (no Content-Length)
    # works because the server sets wsgi.input_terminated.
    digest = hashlib.sha256()
    size = 0
    while chunk := request.stream.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return jsonify(bytes=size, sha256=digest.hexdigest())


@app.get("/stream")
def stream():
    chunks = request.args.get("chunks", 5, type=int)

    def generate():
        for i in range(chunks):
            yield f"chunk {i}\n"

    # A generator body has no known length, so the server sends it chunked (HTTP/1.1).
    return Response(generate(), mimetype="text/plain")


@app.get("/download/<name>")
def download(name):
    # send_from_directory refuses names that escape DOWNLOAD_DIR, and hands the open file to the
    # server's wsgi.file_wrapper, which may use sendfile(2) instead of copying it through Python.
    return send_from_directory(DOWNLOAD_DIR, name)


@app.get("/pid")
def pid():
    return text(str(os.getpid()))


@app.get("/echo")
def echo():
    return text(f"id={request.args.get('id', '')}")
