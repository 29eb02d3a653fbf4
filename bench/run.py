#!/usr/bin/env python3
"""ActorGunicorn's benchmark suite: ActorGunicorn against gunicorn, uWSGI, waitress and Kestrel, side by side.

Run it through the build (``./build.sh --target=Bench``), which installs the peers, publishes ActorGunicorn and
builds the Kestrel peer first; or directly once those exist:

    /usr/bin/python3 bench/run.py                 # the full measurement (about 35 minutes on a quiet 2-core machine)
    /usr/bin/python3 bench/run.py --smoke         # one short round of everything: proves it works, measures nothing
    /usr/bin/python3 bench/run.py --long          # also the 1M-request RSS run
    /usr/bin/python3 bench/run.py --scenarios wsgi-hello --servers actorgunicorn,uwsgi --sections throughput

Writes bench/out/<time>/ (results.json, server logs) and, unless --no-docs, docs/performance.md and
docs/performance.png. ``--report-from results.json`` rebuilds the page from a saved run.
"""

import argparse
import datetime
import json
import shutil
import sys
from pathlib import Path

from harness import catalog, chart, machine, memory, processes, report, scaling, startup, throughput
from harness.settings import SECTIONS, Settings

ROOT = Path(__file__).resolve().parent.parent


def _names(text, known, what):
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)} (known: {', '.join(known)})")
    return names


def _parser():
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    defaults = Settings()
    parser.add_argument("--smoke", action="store_true", help="1 round, 3 s passes, 1 s warm-up, 1 repeat")
    parser.add_argument("--rounds", type=int, help=f"interleaved rounds (default {defaults.rounds})")
    parser.add_argument("--duration", type=int, help=f"seconds per wrk pass (default {defaults.duration})")
    parser.add_argument("--warmup", type=int, help=f"seconds of warm-up per server start (default {defaults.warmup})")
    parser.add_argument("--connections", type=int, default=defaults.connections, help="wrk -c (default %(default)s)")
    parser.add_argument("--wrk-threads", type=int, default=defaults.wrk_threads, help="wrk -t (default %(default)s)")
    parser.add_argument("--workers", type=int, default=defaults.workers, help="workers per server (default %(default)s)")
    parser.add_argument("--threads", type=int, default=defaults.threads,
                        help="threads of gunicorn gthread and waitress (default %(default)s)")
    parser.add_argument("--modes", default="ka,close", help="ka, close or both (default %(default)s)")
    parser.add_argument("--scenarios", default="", help="comma-separated subset of: "
                        + ", ".join(scenario.name for scenario in catalog.SCENARIOS))
    parser.add_argument("--servers", default="", help="comma-separated subset of: "
                        + ", ".join(server.name for server in catalog.SERVERS))
    parser.add_argument("--sections", default="", help="comma-separated subset of: " + ", ".join(SECTIONS)
                        + " (default: all but long)")
    parser.add_argument("--long", action="store_true", help="add the long run (RSS over --long-requests)")
    parser.add_argument("--long-requests", type=int, help="measured requests in the long run (default 1,000,000)")
    parser.add_argument("--long-settle", type=int,
                        help=f"seconds of load before the long run's baseline (default {defaults.long_settle})")
    parser.add_argument("--rest-seconds", type=int,
                        help=f"seconds each idle server's CPU is read (default {defaults.rest_seconds})")
    parser.add_argument("--repeats", type=int, help=f"boot and recovery repeats (default {defaults.repeats})")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="the Python with Flask, gunicorn and waitress (default %(default)s)")
    parser.add_argument("--out-dir", type=Path, help="where results.json and server logs go (default bench/out/<time>)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md",
                        help="the page to write (default docs/performance.md; the chart goes next to it)")
    parser.add_argument("--no-docs", action="store_true", help="write only into the output directory")
    parser.add_argument("--report-from", type=Path, help="rebuild the page from a saved results.json, run nothing")
    return parser


def _settings(arguments):
    settings = Settings()
    if arguments.smoke:
        settings.smoke()
    for name in ("rounds", "duration", "warmup", "repeats", "long_requests", "long_settle", "rest_seconds"):
        if getattr(arguments, name) is not None:
            setattr(settings, name, getattr(arguments, name))
    settings.connections, settings.wrk_threads = arguments.connections, arguments.wrk_threads
    settings.workers, settings.threads = arguments.workers, arguments.threads
    settings.modes = _names(arguments.modes, tuple(throughput.MODES), "mode")
    settings.scenarios = _names(arguments.scenarios, tuple(catalog.SCENARIOS_BY_NAME), "scenario")
    settings.servers = _names(arguments.servers, tuple(catalog.SERVERS_BY_NAME), "server")
    sections = _names(arguments.sections, SECTIONS, "section") if arguments.sections else settings.sections
    settings.sections = tuple(sections) + (("long",) if arguments.long and "long" not in sections else ())
    if settings.rounds < 1 or settings.duration < 1 or settings.repeats < 1 or settings.workers < 1:
        raise argparse.ArgumentTypeError("--rounds, --duration, --repeats and --workers must be at least 1")
    settings.label = "smoke" if arguments.smoke else "full"
    return settings


def _missing_prerequisites(paths, servers):
    missing = [] if shutil.which("wrk") else ["wrk (apt-get install wrk)"]
    names = {server.name for server in servers}
    if "actorgunicorn" in names and not paths.actorgunicorn.exists():
        missing.append(f"{paths.actorgunicorn} (./build.sh --target=Publish)")
    if "actorgunicorn" in names and not paths.hello_dll.exists():
        missing.append(f"{paths.hello_dll} (./build.sh --target=Publish)")
    if "kestrel" in names and not paths.kestrel.exists():
        missing.append(f"{paths.kestrel} (./build.sh --target=Bench builds it)")
    if "actorgunicorn-embedded" in names and not paths.embedded.exists():
        missing.append(f"{paths.embedded} (./build.sh --target=Bench builds it)")
    if "uwsgi" in names and not shutil.which("uwsgi"):
        missing.append("uwsgi (apt-get install uwsgi uwsgi-plugin-python3)")
    return missing


def _write(results, docs, say):
    chart_path = docs.with_suffix(".png")
    drawn = chart.draw(results, chart_path, "ActorGunicorn and its peers"
                       + (" (smoke run on a busy machine: not a measurement)" if results.get("smoke") else ""))
    if not drawn:
        say("no chart: matplotlib is missing (apt-get install python3-matplotlib)")
    docs.write_text(report.render(results, chart_path.name if drawn else None), encoding="utf-8")
    say(f"wrote {docs}" + (f" and {chart_path}" if drawn else ""))


def _say(message):
    print(f"[bench] {message}", flush=True)


def main(argv):
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.report_from:
        _write(json.loads(arguments.report_from.read_text(encoding="utf-8")), arguments.docs, _say)
        return 0
    try:
        settings = _settings(arguments)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    paths = catalog.Paths.under(ROOT, arguments.python)
    scenarios = [s for s in catalog.SCENARIOS if not settings.scenarios or s.name in settings.scenarios]
    servers = [s for s in catalog.SERVERS if not settings.servers or s.name in settings.servers]
    missing = _missing_prerequisites(paths, servers)
    if missing:
        print("bench/run.py: missing " + "; ".join(missing), file=sys.stderr)
        return 2

    out_dir = arguments.out_dir or ROOT / "bench/out" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    processes.install_exit_handlers()
    results = {"settings": settings.as_dict(), "smoke": arguments.smoke, "argv": ["bench/run.py"] + list(argv),
               "started": _now(), "machine": machine.describe(paths)}
    _say(f"settings: {settings.as_dict()}")
    steps = {
        "throughput": lambda: throughput.run(settings, paths, scenarios, servers, out_dir, results, _say),
        "memory": lambda: memory.run_idle(settings, paths, out_dir, results, _say),
        "boot": lambda: startup.run_boot(settings, paths, out_dir, results, _say),
        "recovery": lambda: startup.run_recovery(settings, paths, out_dir, results, _say),
        "scaling": lambda: scaling.run(settings, paths, out_dir, results, _say),
        "long": lambda: memory.run_long(settings, paths, out_dir, results, _say),
    }
    try:
        for section in SECTIONS:
            if section in settings.sections:
                _say(f"--- {section}")
                steps[section]()
    finally:
        processes.stop_all()
        results["finished"] = _now()
        (out_dir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
        _say(f"results: {out_dir / 'results.json'}")
    if not arguments.no_docs:
        _write(results, arguments.docs, _say)
    return 0


def _now():
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
