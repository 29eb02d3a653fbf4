"""Memory and CPU at rest: RSS, PSS and CPU of idle processes, and RSS over a long run (the 1M-request scenario).

RSS counts every page a worker maps, shared or not; PSS divides shared pages among the processes that map them,
so it is what one more worker really costs. A server without worker processes (waitress, Kestrel) is its own
worker.
"""

import statistics
import time

from . import lifecycle, load, probe, procfs, selection

IDLE = [
    ("flask-hello", "actorgunicorn"), ("flask-hello", "gunicorn-sync"), ("flask-hello", "gunicorn-gthread"),
    ("flask-hello", "uwsgi"), ("flask-hello", "waitress"),
    ("wsgi-hello", "actorgunicorn"), ("wsgi-hello", "gunicorn-sync"),
    ("dotnet-hello", "actorgunicorn"), ("dotnet-hello", "kestrel"),
]

LONG = [("wsgi-hello", "actorgunicorn"), ("dotnet-hello", "actorgunicorn"), ("flask-hello", "actorgunicorn")]

IDLE_REQUESTS = 20
IDLE_SETTLE_SECONDS = 2


def run_idle(settings, paths, out_dir, results, say):
    """Starts each server, sends it a few requests, lets it settle, reads its workers' RSS and PSS, then the CPU
    each process (master and workers) uses while nothing is asked of it, over two windows of
    ``settings.rest_seconds``: the first holds a .NET process's last tier-1 JIT work (code its timers run reaches its
    30th call), the second is the process at rest."""
    records = results.setdefault("memory", [])
    for scenario, kind in selection.pairs(IDLE, settings):
        tag = f"idle-{scenario.name}-{kind.name}"
        try:
            with lifecycle.running(kind, scenario, paths, settings, settings.workers, out_dir, tag) as (server, port):
                for _ in range(IDLE_REQUESTS):
                    probe.get(port, scenario.path)
                time.sleep(IDLE_SETTLE_SECONDS)
                workers = server.workers()
                rss = [procfs.rss_kib(pid) for pid in workers]
                pss = [procfs.pss_kib(pid) for pid in workers]
                record = {
                    "scenario": scenario.name, "server": kind.name, "workers": len(workers),
                    "worker_rss_kib": statistics.median(rss), "worker_pss_kib": statistics.median(pss),
                    "main_rss_kib": procfs.rss_kib(server.pid) if workers != [server.pid] else None,
                    "tree_pss_kib": sum(procfs.pss_kib(pid) or 0 for pid in procfs.descendants(server.pid)),
                }
                record["rest_seconds"] = settings.rest_seconds
                for window in ("first", "rest"):
                    main_cpu, worker_cpu = _rest_cpu_percent(server.pid, workers, settings.rest_seconds)
                    record[f"main_{window}_cpu_percent"] = main_cpu
                    record[f"worker_{window}_cpu_percent"] = max(worker_cpu) if worker_cpu else None
                records.append(record)
                say(f"idle {scenario.name:12} {kind.name:16} worker RSS {record['worker_rss_kib'] / 1024:6.1f} MiB  "
                    f"PSS {record['worker_pss_kib'] / 1024:6.1f} MiB  CPU (master, busiest worker), first window: "
                    f"{_percent(record['main_first_cpu_percent'])}, {_percent(record['worker_first_cpu_percent'])}; "
                    f"at rest: {_percent(record['main_rest_cpu_percent'])}, {_percent(record['worker_rest_cpu_percent'])}")
        except probe.BenchError as error:
            say(f"SKIPPED {tag}: {error}")
            results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")


def _rest_cpu_percent(main_pid, workers, seconds):
    """(master %, [worker %]) of one core over ``seconds`` of rest; the master is None when it is its own worker."""
    watched = ([] if workers == [main_pid] else [main_pid]) + list(workers)
    before = {pid: procfs.cpu_ticks(pid) for pid in watched}
    time.sleep(seconds)
    used = {}
    for pid in watched:
        after = procfs.cpu_ticks(pid)
        if after is None or before[pid] is None:
            raise probe.BenchError(f"process {pid} exited while at rest")
        used[pid] = 100.0 * (after - before[pid]) / procfs.CLOCK_TICKS / seconds
    return used.get(main_pid) if workers != [main_pid] else None, [used[pid] for pid in workers]


def _percent(value):
    return "-" if value is None else f"{value:.2f} %"


def run_long(settings, paths, out_dir, results, say):
    """Keep-alive load for ``long_settle`` seconds, then passes until ``long_requests`` more are served; the
    workers' RSS is read after each pass, and growth is measured from the end of the settling load."""
    records = results.setdefault("long", [])
    for scenario, kind in selection.pairs(LONG, settings):
        tag = f"long-{scenario.name}-{kind.name}"
        try:
            with lifecycle.running(kind, scenario, paths, settings, settings.workers, out_dir, tag) as (server, port):
                load.warm_up(server, port, scenario, settings, paths)
                workers = server.workers()
                started = time.monotonic()

                def one_pass():
                    record, _ = load.load_pass(server, port, scenario, settings, paths, close=False,
                                               seconds=settings.long_pass)
                    if server.workers() != workers:
                        raise probe.BenchError("a worker was replaced during the long run: RSS is not comparable")
                    return record, [procfs.rss_kib(pid) for pid in workers]

                settling = [{"requests": 0, "rss_kib": [procfs.rss_kib(pid) for pid in workers]}]
                settle_requests, errors = 0, 0
                while time.monotonic() - started < settings.long_settle:
                    record, rss = one_pass()
                    settle_requests += record["requests"]
                    errors += record["errors"]
                    settling.append({"requests": settle_requests, "rss_kib": rss})
                samples = [{"requests": 0, "rss_kib": settling[-1]["rss_kib"]}]
                served = 0
                while served < settings.long_requests:
                    record, rss = one_pass()
                    served += record["requests"]
                    errors += record["errors"]
                    samples.append({"requests": served, "rss_kib": rss})
                settled, end = sum(samples[0]["rss_kib"]), sum(samples[-1]["rss_kib"])
                records.append({
                    "scenario": scenario.name, "server": kind.name, "workers": len(workers), "requests": served,
                    "settle_seconds": settings.long_settle, "settle_requests": settle_requests,
                    "errors": errors, "seconds": time.monotonic() - started, "settling": settling, "samples": samples,
                    "rss_start_kib": sum(settling[0]["rss_kib"]), "rss_settled_kib": settled, "rss_end_kib": end,
                    "rss_max_kib": max(sum(sample["rss_kib"]) for sample in samples),
                    "growth_percent": 100.0 * (end - settled) / settled,
                })
                say(f"long {scenario.name:12} {kind.name:16} {settle_requests:,} requests to settle, then {served:,}: "
                    f"workers' RSS {settled / 1024:.1f} MiB settled, {end / 1024:.1f} MiB at the end")
        except probe.BenchError as error:
            say(f"SKIPPED {tag}: {error}")
            results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")
