"""wrk: the load generator. Builds its command line and reads its report."""

import re
import resource
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class WrkResult:
    """One wrk pass. Latencies in milliseconds; ``errors`` counts non-2xx/3xx answers and socket errors."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: int
    non_2xx: int
    client_cpu_seconds: float

    @property
    def errors(self):
        return self.socket_errors + self.non_2xx


def command(url, seconds, connections, threads, close=False, script=None):
    """The wrk command line: ``--latency`` for the percentiles, a 5 s request timeout."""
    line = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency"]
    if close:
        line += ["-H", "Connection: close"]
    if script:
        line += ["-s", str(script)]
    return line + [url]


def run(line, seconds):
    """Runs wrk and parses its report; its CPU comes from this process's reaped-children usage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(line, capture_output=True, text=True, timeout=seconds + 60, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return parse(completed.stdout, cpu), completed.stdout


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(text):
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse(report, client_cpu_seconds=0.0):
    """Reads wrk's text report (with ``--latency``)."""
    def find(pattern, default=None):
        match = re.search(pattern, report, re.MULTILINE)
        return match.groups() if match else default

    rps = find(r"^Requests/sec:\s+([0-9.]+)")
    p50 = find(r"^\s+50%\s+(\S+)")
    p99 = find(r"^\s+99%\s+(\S+)")
    total = find(r"^\s*(\d+) requests in ")
    if not (rps and p50 and p99 and total):
        raise RuntimeError(f"unexpected wrk report:\n{report}")
    sockets = find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", ("0", "0", "0", "0"))
    non_2xx = find(r"Non-2xx or 3xx responses: (\d+)", ("0",))
    return WrkResult(
        requests_per_second=float(rps[0]),
        p50_ms=_milliseconds(p50[0]),
        p99_ms=_milliseconds(p99[0]),
        requests=int(total[0]),
        socket_errors=sum(int(count) for count in sockets),
        non_2xx=int(non_2xx[0]),
        client_cpu_seconds=client_cpu_seconds)
