"""Worker boot (spawn to first 200) and recovery after ``kill -9`` of a worker under light load.

Times are on the kernel's boot clock, which is also the clock of /proc/PID/stat's start time, so a worker's spawn
(its fork) can be compared with when its first answer arrived. Start times have the kernel's 10 ms resolution.
"""

import http.client
import os
import signal
import threading
import time

from . import lifecycle, probe, procfs, selection
from .processes import Server

BOOT = [("dotnet-hello", "actorgunicorn"), ("flask-hello", "actorgunicorn"), ("flask-hello", "gunicorn-sync"),
        ("flask-hello", "uwsgi"), ("dotnet-hello", "kestrel")]

# Routes that name the process that answered (samples/HelloWorld and samples/flask_app both have /pid).
RECOVERY = [("dotnet-hello", "actorgunicorn"), ("flask-hello", "actorgunicorn"), ("flask-hello", "gunicorn-sync")]
PID_PATH = "/pid"

RECOVERY_TIMEOUT = 30
LIGHT_LOAD_PAUSE = 0.005


def _first_200(server, port, path, timeout):
    """Sends GET as soon as the port accepts and returns the boot-clock time the first 200 arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise probe.BenchError(f"{server.command[0]} exited:\n{server.log_tail()}")
        try:
            # Once the listener exists, the request waits in its backlog until a worker takes it.
            status, _ = probe.get(port, path, timeout=timeout)
            if status == 200:
                return procfs.boot_seconds()
        except (OSError, http.client.HTTPException):
            time.sleep(0.005)
    raise probe.BenchError(f"no 200 within {timeout} s:\n{server.log_tail()}")


def run_boot(settings, paths, out_dir, results, say):
    """Starts each server with one worker, ``repeats`` times: command to first 200, and worker spawn to first 200."""
    records = results.setdefault("boot", [])
    for scenario, kind in selection.pairs(BOOT, settings):
        for repeat in range(1, settings.repeats + 1):
            tag = f"boot-{scenario.name}-{kind.name}-{repeat}"
            port = lifecycle.free_port()
            command = kind.command(scenario, paths, port, 1, settings.threads)
            started = procfs.boot_seconds()
            server = Server(command, kind.working_directory(scenario, paths), out_dir / f"server-{tag}.log")
            try:
                answered = _first_200(server, port, scenario.path, settings.ready_timeout)
                workers = server.workers()
                spawned = procfs.start_seconds(workers[0]) if workers != [server.pid] else started
                record = {"scenario": scenario.name, "server": kind.name, "repeat": repeat,
                          "start_to_200_ms": 1000 * (answered - started),
                          "spawn_to_200_ms": 1000 * (answered - spawned)}
                records.append(record)
                say(f"boot {scenario.name:12} {kind.name:16} #{repeat}  command to 200 "
                    f"{record['start_to_200_ms']:6.0f} ms, worker spawn to 200 {record['spawn_to_200_ms']:6.0f} ms")
            except probe.BenchError as error:
                say(f"SKIPPED {tag}: {error}")
                results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")
            finally:
                server.stop()


class _LightLoad(threading.Thread):
    """Sequential GETs of /pid on fresh connections, a few milliseconds apart: (boot time, pid or None)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self._port = port
        self._stop_requested = threading.Event()
        self.answers = []

    def run(self):
        while not self._stop_requested.is_set():
            try:
                status, body = probe.get(self._port, PID_PATH, timeout=5)
                pid = int(body) if status == 200 else None
            except (OSError, http.client.HTTPException, ValueError):
                pid = None
            self.answers.append((procfs.boot_seconds(), pid))
            time.sleep(LIGHT_LOAD_PAUSE)

    def stop(self):
        self._stop_requested.set()
        self.join(timeout=10)


def _recover_once(server, port):
    load = _LightLoad(port)
    load.start()
    try:
        time.sleep(1)
        original = server.workers()
        victim = original[0]
        killed = procfs.boot_seconds()
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + RECOVERY_TIMEOUT
        while time.monotonic() < deadline:
            served = [(at, pid) for at, pid in list(load.answers) if at > killed and pid and pid not in original]
            if served:
                replacement = served[0][1]
                spawned = procfs.start_seconds(replacement)
                window = [pid for at, pid in list(load.answers) if killed < at <= served[0][0]]
                return {"kill_to_serving_ms": 1000 * (served[0][0] - killed),
                        "kill_to_spawn_ms": 1000 * (spawned - killed) if spawned else None,
                        "requests_in_window": len(window),
                        "failed_in_window": sum(1 for pid in window if pid is None)}
            time.sleep(0.01)
        raise probe.BenchError(f"no replacement answered within {RECOVERY_TIMEOUT} s after kill -9 of {victim}")
    finally:
        load.stop()


def run_recovery(settings, paths, out_dir, results, say):
    """kill -9 of the oldest worker while a client sends light load; time until a new worker answers."""
    records = results.setdefault("recovery", [])
    for scenario, kind in selection.pairs(RECOVERY, settings):
        for repeat in range(1, settings.repeats + 1):
            tag = f"recovery-{scenario.name}-{kind.name}-{repeat}"
            try:
                with lifecycle.running(kind, scenario, paths, settings, settings.workers, out_dir, tag) as (server, port):
                    record = _recover_once(server, port)
                    record.update(scenario=scenario.name, server=kind.name, repeat=repeat)
                    records.append(record)
                    say(f"recovery {scenario.name:12} {kind.name:16} #{repeat}  kill to serving "
                        f"{record['kill_to_serving_ms']:6.0f} ms, failed requests {record['failed_in_window']}")
            except probe.BenchError as error:
                say(f"SKIPPED {tag}: {error}")
                results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")
