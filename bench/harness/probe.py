"""A minimal HTTP client for probes: readiness, body checks, worker pids. Load comes from wrk, not from here."""

import http.client
import socket
import time


class BenchError(Exception):
    """The suite cannot go on with this server or scenario; the message says why."""


def get(port, path, timeout=5.0, close=True):
    """One GET on a fresh connection: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"} if close else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_serving(server, port, path, timeout):
    """Polls GET ``path`` until it answers 200; raises BenchError if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise BenchError(f"{server.command[0]} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            status, _ = get(port, path, timeout=2.0)
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise BenchError(f"{server.command[0]} did not answer 200 on {path} within {timeout:.0f} s:\n{server.log_tail()}")


def closes_after_connection_close(port, path, timeout=1.0):
    """True when the server ends the connection after answering a request with ``Connection: close``.

    RFC 9112 §9.6 makes that a MUST. A server that keeps the connection open anyway turns wrk's close pass into a
    keep-alive pass (wrk reconnects only when the response closes), so that pass measures something else.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        connection.settimeout(timeout)
        try:
            while connection.recv(65536):
                pass
        except socket.timeout:
            return False
    return True
