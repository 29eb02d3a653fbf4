"""The processes the harness starts, and the guarantee that none outlives it.

Every server runs in its own session (so its process group id is its pid) and is registered here. Stopping one
sends SIGTERM to the server's main process only, as an operator would, waits, and then SIGKILLs that process group
by its id, which catches any worker left behind. ``stop_all`` runs on every exit path: normal return, an
exception, Ctrl-C, SIGTERM or SIGHUP (``install_exit_handlers``).
"""

import atexit
import os
import signal
import subprocess
import time

from . import procfs

_running = []


class Server:
    """A started server: its process, the command line, and where its output goes."""

    def __init__(self, command, cwd, log_path, env=None):
        self.command = command
        self.cwd = cwd
        self.log_path = log_path
        self._log = open(log_path, "ab")  # closed in stop()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.started_at = procfs.boot_seconds()
        _running.append(self)

    @property
    def pid(self):
        """The server's main process (the arbiter, the master, or the only process)."""
        return self.process.pid

    def alive(self):
        """True while the main process runs."""
        return self.process.poll() is None

    def workers(self):
        """The worker processes (the main process's children), or the main process when it has none."""
        kids = procfs.children(self.pid)
        return kids if kids else [self.pid]

    def log_tail(self, lines=20):
        """The end of the server's output, for error messages."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except FileNotFoundError:
            return ""

    def stop(self, grace_seconds=15.0):
        """SIGTERM to the main process; after ``grace_seconds``, SIGKILL to the whole process group."""
        if self in _running:
            _running.remove(self)
        if self.process.poll() is None:
            try:
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                pass
        self._kill_group()
        if self.process.poll() is None:
            self.process.wait(timeout=5)
        self._log.close()

    def _kill_group(self):
        # The group id is the server's own pid (start_new_session). Workers that outlived their master are in it.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.05)


def stop_all():
    """Stops every server still running (the harness is exiting)."""
    for server in list(_running):
        try:
            server.stop(grace_seconds=5.0)
        except Exception as error:  # keep stopping the others
            print(f"[bench] could not stop {server.command[0]} (pid {server.pid}): {error}")


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_exit_handlers():
    """Makes SIGTERM and SIGHUP unwind like Ctrl-C does, so ``finally`` blocks and ``atexit`` run."""
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
