"""One load pass: wrk against a running server, with the server's CPU and everyone else's measured around it."""

import os
import resource
import time

from . import procfs, wrk

CPU_COUNT = os.cpu_count() or 1


def _own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_pass(server, port, scenario, settings, paths, close, seconds):
    """Runs wrk for ``seconds`` and returns the pass as a dict, plus the wrk command line.

    ``cpu_us_per_request`` is the server's process tree (utime + stime from /proc) per completed request.
    ``other_cpu_percent`` is what every process other than the server, wrk and this harness used, as a share of
    all cores: above ~10 % the pass shared the machine. ``steal_percent`` is the time the hypervisor ran other guests
    while this one's cores wanted to run, as a share of all cores.
    """
    script = paths.root / scenario.script if scenario.script else None
    line = wrk.command(f"http://127.0.0.1:{port}{scenario.path}", seconds, settings.connections,
                       settings.wrk_threads, close=close, script=script)
    server_before = procfs.tree_cpu_ticks(server.pid)
    machine_before = procfs.machine_busy_ticks()
    steal_before = procfs.machine_steal_ticks()
    own_before = _own_cpu_seconds()
    started = time.monotonic()
    result, _report = wrk.run(line, seconds)
    elapsed = time.monotonic() - started
    server_ticks = procfs.tree_cpu_ticks(server.pid) - server_before
    machine_ticks = procfs.machine_busy_ticks() - machine_before
    steal_ticks = procfs.machine_steal_ticks() - steal_before
    own_seconds = _own_cpu_seconds() - own_before
    other_seconds = machine_ticks / procfs.CLOCK_TICKS - server_ticks / procfs.CLOCK_TICKS \
        - result.client_cpu_seconds - own_seconds
    return {
        "rps": result.requests_per_second,
        "p50_ms": result.p50_ms,
        "p99_ms": result.p99_ms,
        "requests": result.requests,
        "socket_errors": result.socket_errors,
        "non_2xx": result.non_2xx,
        "errors": result.errors,
        "cpu_us_per_request": (server_ticks / procfs.CLOCK_TICKS * 1e6 / result.requests) if result.requests else None,
        "other_cpu_percent": max(0.0, 100.0 * other_seconds / (elapsed * CPU_COUNT)),
        "steal_percent": 100.0 * steal_ticks / procfs.CLOCK_TICKS / (elapsed * CPU_COUNT),
    }, line


def warm_up(server, port, scenario, settings, paths):
    """A keep-alive pass that is not recorded: JIT tiers, caches and connection pools settle."""
    if settings.warmup > 0:
        load_pass(server, port, scenario, settings, paths, close=False, seconds=settings.warmup)
